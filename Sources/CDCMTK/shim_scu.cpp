// C-STORE and C-ECHO SCU over DCMTK's ASC/DIMSE API: one association per call, failures
// classified as transient (worth retrying) or permanent (needs a person).
#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmnet/assoc.h"
#include "dcmtk/dcmnet/dimse.h"
#include "dcmtk/dcmdata/dctk.h"

#include "cdcmtk.h"
#include "shim_common.hpp"
#include "shim_network.hpp"
#include "shim_tls.hpp"

#include <map>
#include <memory>
#include <set>
#include <vector>

namespace cdcm {
namespace {

// An association-level failure: transient or permanent, with a message for the log.
struct SendFailure {
    int code;
    std::string message;
};

// A presentation context to propose: one abstract syntax, its transfer syntaxes.
struct Proposal {
    std::string abstractSyntax;
    std::vector<std::string> transferSyntaxes;
};

// What must be known of a file before negotiating.
struct FileToSend {
    std::string path, sopClassUID, sopInstanceUID, transferSyntaxUID;
    T_ASC_PresentationContextID presentationID = 0;   // chosen after negotiation
    bool decompress = false;                           // compressed file, uncompressed context
};

std::string peerName(const cdcm_scu_target &target) {
    return std::string(target.called_ae) + " at " + target.host + ":" + std::to_string(target.port);
}

bool isUncompressed(const std::string &uid) {
    for (int i = 0; i < kUncompressedSyntaxCount; ++i)
        if (uid == kUncompressedSyntaxes[i]) return true;
    return false;
}

// Whether a file in this transfer syntax may be sent uncompressed instead: native or deflated
// data as it is, compressed data only when lossless and decodable here (JPEG lossless, JPEG-LS
// lossless, RLE). Lossy data is never decompressed (DCMTK's DM_losslessOnly).
bool canSendUncompressed(const std::string &uid) {
    DcmXfer xfer(uid.c_str());
    if (!xfer.isEncapsulated()) return true;
    return uid == UID_JPEGProcess14TransferSyntax || uid == UID_JPEGProcess14SV1TransferSyntax ||
           uid == UID_JPEGLSLosslessTransferSyntax || uid == UID_RLELosslessTransferSyntax;
}

std::string rejectionText(const T_ASC_RejectParameters &rejection) {
    switch (rejection.reason) {
    case ASC_REASON_SU_NOREASON: return "no reason given";
    case ASC_REASON_SU_APPCONTEXTNAMENOTSUPPORTED: return "application context not supported";
    case ASC_REASON_SU_CALLINGAETITLENOTRECOGNIZED: return "calling AE title not recognised (is our AE title configured on the peer?)";
    case ASC_REASON_SU_CALLEDAETITLENOTRECOGNIZED: return "called AE title not recognised (check the destination's AE title)";
    case ASC_REASON_SP_ACSE_NOREASON: return "no reason given (ACSE)";
    case ASC_REASON_SP_ACSE_PROTOCOLVERSIONNOTSUPPORTED: return "protocol version not supported";
    case ASC_REASON_SP_PRES_TEMPORARYCONGESTION: return "temporary congestion";
    case ASC_REASON_SP_PRES_LOCALLIMITEXCEEDED: return "local limit exceeded (too many associations)";
    }
    return "reason " + std::to_string(static_cast<int>(rejection.reason));
}

// An open association with its network; aborts and frees whatever is left on destruction.
class Association {
public:
    Association() = default;
    Association(const Association &) = delete;
    Association &operator=(const Association &) = delete;
    ~Association() {
        if (association_ != nullptr) {
            if (open_) abortAssociation(association_);
            ASC_destroyAssociation(&association_);
        }
        if (parameters_ != nullptr) ASC_destroyAssociationParameters(&parameters_);
        if (network_ != nullptr) ASC_dropNetwork(&network_);
    }

    // Connect and negotiate; a SendFailure describes why not.
    bool open(const cdcm_scu_target &target, const std::vector<Proposal> &proposals, SendFailure &failure) {
        const int timeout = target.timeout_seconds < 1 ? 1 : target.timeout_seconds;
        OFCondition c = ASC_initializeNetwork(NET_REQUESTOR, 0, timeout, &network_);
        if (c.good() && target.tls != nullptr) {
            std::string why;
            std::unique_ptr<DcmTransportLayer> layer = makeTLSLayer(NET_REQUESTOR, *target.tls, why);
            if (layer) why = installTLSLayer(network_, std::move(layer));
            if (!why.empty()) {
                failure = {CDCM_SCU_PERMANENT, "cannot send to " + peerName(target) + " over TLS: " + why};
                return false;
            }
        }
        if (c.good()) c = ASC_createAssociationParameters(&parameters_, kMaxReceivePDU);
        if (c.good() && target.tls != nullptr) c = ASC_setTransportLayerType(parameters_, OFTrue);
        if (c.good()) c = ASC_setAPTitles(parameters_, target.calling_ae, target.called_ae, nullptr);
        const std::string address = std::string(target.host) + ":" + std::to_string(target.port);
        if (c.good()) c = ASC_setPresentationAddresses(parameters_, "localhost", address.c_str());
        T_ASC_PresentationContextID id = 1;
        for (const Proposal &proposal : proposals) {
            if (c.bad()) break;
            std::vector<const char *> syntaxes;
            for (const std::string &s : proposal.transferSyntaxes) syntaxes.push_back(s.c_str());
            c = ASC_addPresentationContext(parameters_, id, proposal.abstractSyntax.c_str(), syntaxes.data(),
                                           static_cast<int>(syntaxes.size()));
            id = static_cast<T_ASC_PresentationContextID>(id + 2);
        }
        if (c.bad()) {
            failure = {CDCM_SCU_PERMANENT, "cannot prepare the association request: " + conditionText(c)};
            return false;
        }
        T_ASC_Parameters *parameters = parameters_;
        parameters_ = nullptr;   // from here on the association owns them
        c = ASC_requestAssociation(network_, parameters, &association_, nullptr, nullptr, DUL_NOBLOCK, timeout);
        if (association_ == nullptr) parameters_ = parameters;
        if (c == DUL_ASSOCIATIONREJECTED) {
            T_ASC_RejectParameters rejection{};
            ASC_getRejectParameters(parameters, &rejection);
            const bool transient = rejection.result == ASC_RESULT_REJECTEDTRANSIENT;
            failure = {transient ? CDCM_SCU_TRANSIENT : CDCM_SCU_PERMANENT,
                       "association rejected by " + peerName(target) + (transient ? " (transient): " : " (permanent): ") +
                           rejectionText(rejection)};
            return false;
        }
        if (isTLSFailure(c)) {
            failure = {CDCM_SCU_PERMANENT, "TLS handshake with " + peerName(target) + " failed: " + conditionText(c) +
                                               " (does the peer speak TLS on this port, is its certificate signed by a CA in"
                                               " ca_certificates, does it accept our certificate?)"};
            return false;
        }
        if (c.bad()) {
            failure = {CDCM_SCU_TRANSIENT, "cannot associate with " + peerName(target) + ": " + conditionText(c)};
            return false;
        }
        open_ = true;
        return true;
    }

    // Orderly release; an abort when the peer does not answer the release.
    void release() {
        if (!open_) return;
        if (ASC_releaseAssociation(association_).bad()) abortAssociation(association_);
        open_ = false;
    }

    T_ASC_Association *get() const { return association_; }

private:
    T_ASC_Network *network_ = nullptr;
    T_ASC_Parameters *parameters_ = nullptr;
    T_ASC_Association *association_ = nullptr;
    bool open_ = false;
};

// Read the identifying attributes of every file (pixel data is not loaded).
bool readFiles(const char *const *paths, size_t count, std::vector<FileToSend> &files, SendFailure &failure) {
    for (size_t i = 0; i < count; ++i) {
        DcmFileFormat format;
        OFCondition c = format.loadFile(paths[i], EXS_Unknown, EGL_noChange, 4096);
        FileToSend file;
        file.path = paths[i];
        OFString value;
        if (c.good() && format.getDataset()->findAndGetOFString(DCM_SOPClassUID, value).good()) file.sopClassUID = trimmed(value.c_str());
        if (c.good() && format.getDataset()->findAndGetOFString(DCM_SOPInstanceUID, value).good()) file.sopInstanceUID = trimmed(value.c_str());
        if (c.good()) file.transferSyntaxUID = DcmXfer(format.getDataset()->getOriginalXfer()).getXferID();
        if (c.bad() || file.sopClassUID.empty() || file.sopInstanceUID.empty()) {
            const std::string why = c.bad() ? conditionText(c) : "no SOP Class UID or SOP Instance UID";
            failure = {CDCM_SCU_PERMANENT, "cannot send " + file.path + ": " + why + "; nothing was sent"};
            return false;
        }
        files.push_back(file);
    }
    return true;
}

// Per SOP class: a context for each compressed transfer syntax the files use, plus one
// uncompressed context when any file can be sent uncompressed.
std::vector<Proposal> proposalsFor(const std::vector<FileToSend> &files) {
    std::map<std::string, std::set<std::string>> compressed;
    std::set<std::string> uncompressed;
    std::vector<std::string> order;
    for (const FileToSend &file : files) {
        if (compressed.find(file.sopClassUID) == compressed.end()) order.push_back(file.sopClassUID);
        auto &syntaxes = compressed[file.sopClassUID];
        if (DcmXfer(file.transferSyntaxUID.c_str()).isEncapsulated()) syntaxes.insert(file.transferSyntaxUID);
        if (canSendUncompressed(file.transferSyntaxUID)) uncompressed.insert(file.sopClassUID);
    }
    std::vector<Proposal> proposals;
    for (const std::string &sopClass : order) {
        for (const std::string &syntax : compressed[sopClass]) proposals.push_back({sopClass, {syntax}});
        if (uncompressed.count(sopClass) > 0)
            proposals.push_back({sopClass, std::vector<std::string>(kUncompressedSyntaxes, kUncompressedSyntaxes + kUncompressedSyntaxCount)});
    }
    return proposals;
}

// Choose each file's accepted presentation context: its own transfer syntax when accepted,
// else an uncompressed one (decompressing lossless data).
bool chooseContexts(T_ASC_Association *association, std::vector<FileToSend> &files, const cdcm_scu_target &target,
                    SendFailure &failure) {
    std::vector<T_ASC_PresentationContext> accepted;
    const int n = ASC_countPresentationContexts(association->params);
    for (int i = 0; i < n; ++i) {
        T_ASC_PresentationContext context;
        if (ASC_getPresentationContext(association->params, i, &context).good() && context.resultReason == ASC_P_ACCEPTANCE)
            accepted.push_back(context);
    }
    for (FileToSend &file : files) {
        const T_ASC_PresentationContext *same = nullptr, *plain = nullptr;
        for (const T_ASC_PresentationContext &context : accepted) {
            if (file.sopClassUID != context.abstractSyntax) continue;
            const std::string syntax = trimmed(context.acceptedTransferSyntax);
            if (syntax == file.transferSyntaxUID && same == nullptr) same = &context;
            if (isUncompressed(syntax) && (plain == nullptr || syntax == UID_LittleEndianExplicitTransferSyntax)) plain = &context;
        }
        if (same != nullptr) {
            file.presentationID = same->presentationContextID;
        } else if (plain != nullptr && canSendUncompressed(file.transferSyntaxUID)) {
            file.presentationID = plain->presentationContextID;
            file.decompress = DcmXfer(file.transferSyntaxUID.c_str()).isEncapsulated();
        } else {
            failure = {CDCM_SCU_PERMANENT, peerName(target) + " accepted no presentation context for " +
                                               std::string(dcmFindNameOfUID(file.sopClassUID.c_str(), file.sopClassUID.c_str())) +
                                               " in " + DcmXfer(file.transferSyntaxUID.c_str()).getXferName() + " (" + file.path +
                                               "); nothing was sent"};
            return false;
        }
    }
    return true;
}

// Send one file; false with a failure when the association broke.
bool storeOne(T_ASC_Association *association, const FileToSend &file, int timeout, size_t index,
              cdcm_scu_outcome_fn outcome, void *context, SendFailure &failure) {
    DcmFileFormat format;
    OFCondition c = format.loadFile(file.path.c_str());
    if (c.bad()) {
        failure = {CDCM_SCU_PERMANENT, "cannot read " + file.path + " while sending: " + conditionText(c)};
        return false;
    }
    DcmDataset *dataset = format.getDataset();
    if (file.decompress) {
        c = dataset->chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
        if (c.bad() || !dataset->canWriteXfer(EXS_LittleEndianExplicit)) {
            failure = {CDCM_SCU_PERMANENT, "cannot decompress " + file.path + ": " + conditionText(c)};
            return false;
        }
    }
    T_DIMSE_C_StoreRQ request{};
    request.MessageID = association->nextMsgID++;
    OFStandard::strlcpy(request.AffectedSOPClassUID, file.sopClassUID.c_str(), sizeof request.AffectedSOPClassUID);
    OFStandard::strlcpy(request.AffectedSOPInstanceUID, file.sopInstanceUID.c_str(), sizeof request.AffectedSOPInstanceUID);
    request.DataSetType = DIMSE_DATASET_PRESENT;
    request.Priority = DIMSE_PRIORITY_MEDIUM;
    T_DIMSE_C_StoreRSP response{};
    DcmDataset *statusDetail = nullptr;
    c = DIMSE_storeUser(association, file.presentationID, &request, nullptr, dataset, nullptr, nullptr,
                        DIMSE_NONBLOCKING, timeout, &response, &statusDetail);
    std::string comment;
    if (statusDetail != nullptr) {
        OFString value;
        if (statusDetail->findAndGetOFString(DCM_ErrorComment, value).good()) comment = trimmed(value.c_str());
        delete statusDetail;
    }
    if (c.bad()) {
        failure = {CDCM_SCU_TRANSIENT, "sending " + file.path + " failed: " + conditionText(c)};
        return false;
    }
    outcome(context, index, file.sopInstanceUID.c_str(), response.DimseStatus, comment.c_str());
    return true;
}

int report(const SendFailure &failure, char *err, size_t errlen) {
    setError(err, errlen, failure.message);
    return failure.code;
}

} // namespace
} // namespace cdcm

int cdcm_scu_send(const cdcm_scu_target *target, const char *const *paths, size_t count,
                  cdcm_scu_outcome_fn outcome, void *context, char *err, size_t errlen) {
    return cdcm::guarded(err, errlen, [&]() -> int {
        cdcm_network_initialize();
        cdcm::SendFailure failure{CDCM_OK, ""};
        std::vector<cdcm::FileToSend> files;
        if (!cdcm::readFiles(paths, count, files, failure)) return cdcm::report(failure, err, errlen);
        if (files.empty()) return CDCM_OK;
        const std::vector<cdcm::Proposal> proposals = cdcm::proposalsFor(files);
        if (proposals.size() > 128) {
            return cdcm::report({CDCM_SCU_PERMANENT, std::to_string(proposals.size()) +
                                 " presentation contexts needed (SOP class and transfer syntax pairs); one association holds 128"},
                                err, errlen);
        }
        cdcm::Association association;
        if (!association.open(*target, proposals, failure)) return cdcm::report(failure, err, errlen);
        if (!cdcm::chooseContexts(association.get(), files, *target, failure)) return cdcm::report(failure, err, errlen);
        const int timeout = target->timeout_seconds < 1 ? 1 : target->timeout_seconds;
        for (size_t i = 0; i < files.size(); ++i) {
            if (!cdcm::storeOne(association.get(), files[i], timeout, i, outcome, context, failure)) {
                failure.message += " (" + std::to_string(i) + " of " + std::to_string(files.size()) + " files were answered before)";
                return cdcm::report(failure, err, errlen);
            }
        }
        association.release();
        return CDCM_OK;
    });
}

int cdcm_scu_echo(const cdcm_scu_target *target, char *err, size_t errlen) {
    return cdcm::guarded(err, errlen, [&]() -> int {
        cdcm_network_initialize();
        cdcm::SendFailure failure{CDCM_OK, ""};
        const std::vector<cdcm::Proposal> proposals = {
            {UID_VerificationSOPClass, std::vector<std::string>(cdcm::kUncompressedSyntaxes,
                                                                cdcm::kUncompressedSyntaxes + cdcm::kUncompressedSyntaxCount)}};
        cdcm::Association association;
        if (!association.open(*target, proposals, failure)) return cdcm::report(failure, err, errlen);
        if (ASC_countAcceptedPresentationContexts(association.get()->params) == 0) {
            return cdcm::report({CDCM_SCU_PERMANENT, cdcm::peerName(*target) + " does not accept Verification (C-ECHO)"}, err, errlen);
        }
        DIC_US status = 0;
        DcmDataset *statusDetail = nullptr;
        const int timeout = target->timeout_seconds < 1 ? 1 : target->timeout_seconds;
        OFCondition c = DIMSE_echoUser(association.get(), association.get()->nextMsgID++, DIMSE_NONBLOCKING, timeout,
                                       &status, &statusDetail);
        delete statusDetail;
        if (c.bad()) {
            return cdcm::report({CDCM_SCU_TRANSIENT, "C-ECHO to " + cdcm::peerName(*target) + " failed: " + cdcm::conditionText(c)},
                                err, errlen);
        }
        association.release();
        if (status != STATUS_Success) {
            char text[8];
            std::snprintf(text, sizeof text, "%04X", status);
            return cdcm::report({CDCM_SCU_PERMANENT, "C-ECHO to " + cdcm::peerName(*target) + " answered status 0x" + text}, err, errlen);
        }
        return CDCM_OK;
    });
}
