// Network set-up shared by the SCP and the SCU: TCP_NODELAY, no reverse DNS, transfer syntax lists.
#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmnet/dul.h"
#include "dcmtk/dcmnet/dulstruc.h"
#include "dcmtk/dcmdata/dcuid.h"

#include "cdcmtk.h"
#include "shim_network.hpp"

#include <csignal>
#include <cstdlib>
#include <mutex>
#include <sstream>

namespace cdcm {

const char *const kUncompressedSyntaxes[] = {
    UID_LittleEndianExplicitTransferSyntax,
    UID_LittleEndianImplicitTransferSyntax,
    UID_BigEndianExplicitTransferSyntax,
};

const char *const kStorageSyntaxes[] = {
    UID_LittleEndianExplicitTransferSyntax,
    UID_LittleEndianImplicitTransferSyntax,
    UID_BigEndianExplicitTransferSyntax,
    UID_JPEGProcess14SV1TransferSyntax,
    UID_JPEGProcess14TransferSyntax,
    UID_JPEGLSLosslessTransferSyntax,
    UID_JPEGLSLossyTransferSyntax,
    UID_RLELosslessTransferSyntax,
};

std::string conditionText(const OFCondition &condition) {
    OFString dumped;
    DimseCondition::dump(dumped, condition);
    // Each line reads "mmmm:cccc text"; keep the texts.
    std::istringstream lines(dumped.c_str());
    std::string line, out;
    while (std::getline(lines, line)) {
        const size_t space = line.find(' ');
        if (space != std::string::npos && space == 9 && line[4] == ':') line = line.substr(space + 1);
        if (line.empty()) continue;
        if (!out.empty()) out += ": ";
        out += line;
    }
    return out.empty() ? std::string(condition.text()) : out;
}

void abortAssociation(T_ASC_Association *association) {
    if (association == nullptr || association->DULassociation == nullptr) return;
    // The association key's timeout is the ARTIM timer DUL_AbortAssociation waits with.
    reinterpret_cast<PRIVATE_ASSOCIATIONKEY *>(association->DULassociation)->timeout = 1;
    ASC_abortAssociation(association);
}

std::string trimmed(const char *value) {
    if (value == nullptr) return "";
    std::string s(value);
    const char *blank = " \t\r\n";
    const size_t first = s.find_first_not_of(blank);
    if (first == std::string::npos) return "";
    const size_t last = s.find_last_not_of(blank);
    return s.substr(first, last - first + 1);
}

} // namespace cdcm

void cdcm_network_initialize(void) {
    static std::once_flag once;
    std::call_once(once, [] {
        cdcm_initialize();
        // DCMTK reads TCP_NODELAY whenever it opens a socket. Without it every small PDU (the
        // C-STORE response, the command before each dataset) waits for Nagle's delayed ACK.
        setenv("TCP_NODELAY", "1", 0);
        // Reverse DNS of every peer costs a lookup per association and may hang without DNS.
        dcmDisableGethostbyaddr.set(OFTrue);
        // A write to a peer that has gone raises SIGPIPE, whose default action ends the process.
        // Ignore it (unless the application installed its own handler): the write fails instead.
        struct sigaction current {};
        if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) std::signal(SIGPIPE, SIG_IGN);
    });
}
