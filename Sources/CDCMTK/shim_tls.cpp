// DICOM over TLS (DCMTK dcmtls): the transport layer shared by the SCP and the SCU.
#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmnet/cond.h"
#include "dcmtk/dcmtls/tlslayer.h"

#include "shim_network.hpp"
#include "shim_tls.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace cdcm {
namespace {

// Empty when the file can be opened for reading, else why not (errno text).
std::string unreadable(const char *path) {
    if (path == nullptr || path[0] == 0) return "no file given";
    FILE *file = std::fopen(path, "rb");
    if (file == nullptr) return std::strerror(errno);
    std::fclose(file);
    return "";
}

std::string quoted(const char *path) { return std::string("'") + (path != nullptr ? path : "") + "'"; }

} // namespace

std::unique_ptr<DcmTransportLayer> makeTLSLayer(T_ASC_NetworkRole role, const cdcm_tls_settings &tls, std::string &error) {
    // OpenSSL's global set-up, once per process (several layers may exist at the same time).
    static std::once_flag once;
    std::call_once(once, [] { DcmTLSTransportLayer::initializeOpenSSL(); });

    struct File { const char *path; const char *what; };
    std::string why;
    for (const File &file : {File{tls.certificate_file, "TLS certificate"}, File{tls.private_key_file, "TLS private key"}}) {
        if (!(why = unreadable(file.path)).empty()) {
            error = std::string("cannot read the ") + file.what + " " + quoted(file.path) + ": " + why;
            return nullptr;
        }
    }
    for (size_t i = 0; i < tls.trusted_ca_count; ++i) {
        if (!(why = unreadable(tls.trusted_ca_files[i])).empty()) {
            error = "cannot read the trusted CA certificate " + quoted(tls.trusted_ca_files[i]) + ": " + why;
            return nullptr;
        }
    }

    auto layer = std::make_unique<DcmTLSTransportLayer>(role, nullptr, OFFalse);
    if (!*layer) {
        error = "cannot create a TLS context (OpenSSL failed to initialise)";
        return nullptr;
    }
    // An empty password: an encrypted key then fails to load instead of OpenSSL asking for a
    // password on a terminal the daemon does not have.
    layer->setPrivateKeyPasswd("");
    if (layer->setPrivateKeyFile(tls.private_key_file, DCF_Filetype_PEM).bad()) {
        error = "cannot load the TLS private key " + quoted(tls.private_key_file) +
                ": not an unencrypted PEM private key (remove a passphrase with `openssl pkey -in key.pem -out plain.pem`)";
        return nullptr;
    }
    if (layer->setCertificateFile(tls.certificate_file, DCF_Filetype_PEM).bad()) {
        error = "cannot load the TLS certificate " + quoted(tls.certificate_file) + ": not a PEM certificate";
        return nullptr;
    }
    if (!layer->checkPrivateKeyMatchesCertificate()) {
        error = "the TLS private key " + quoted(tls.private_key_file) + " does not belong to the certificate " +
                quoted(tls.certificate_file);
        return nullptr;
    }
    for (size_t i = 0; i < tls.trusted_ca_count; ++i) {
        if (layer->addTrustedCertificateFile(tls.trusted_ca_files[i], DCF_Filetype_PEM).bad()) {
            error = "cannot load the trusted CA certificate " + quoted(tls.trusted_ca_files[i]) + ": not a PEM certificate";
            return nullptr;
        }
    }
    OFCondition c = layer->setTLSProfile(TSP_Profile_BCP195_ND);
    if (c.good()) c = layer->activateCipherSuites();
    if (c.bad()) {
        error = std::string("cannot set up the TLS cipher suites: ") + c.text();
        return nullptr;
    }
    layer->setCertificateVerification(tls.trusted_ca_count > 0 ? DCV_requireCertificate : DCV_ignoreCertificate);
    return layer;
}

std::string installTLSLayer(T_ASC_Network *network, std::unique_ptr<DcmTransportLayer> layer) {
    OFCondition c = ASC_setTransportLayer(network, layer.get(), 1);
    if (c.bad()) return "cannot use the TLS transport layer: " + conditionText(c);
    layer.release();   // the network owns it now
    return "";
}

bool isTLSFailure(const OFCondition &condition) {
    // DCMTK passes the handshake's own dcmtls condition up (e.g. "TLS error: certificate verify
    // failed"), or wraps it as a DUL TLS error.
    return condition.bad() && (condition.module() == OFM_dcmtls ||
                               (condition.module() == OFM_dcmnet && condition.code() == DULC_TLSERROR));
}

} // namespace cdcm
