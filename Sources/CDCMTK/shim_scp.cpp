// C-STORE/C-ECHO SCP: listening, the accept loop, association decisions and negotiation, stop.
// One detached, counted thread per accepted association (shim_scp_association.cpp); DCMTK's
// DcmSCPPool is not used because in 3.6.7 it never joins its worker threads.
#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmnet/assoc.h"
#include "dcmtk/dcmnet/dul.h"
#include "dcmtk/dcmnet/dcmtrans.h"
#include "dcmtk/dcmdata/dcuid.h"

#include "cdcmtk.h"
#include "shim_common.hpp"
#include "shim_scp.hpp"
#include "shim_tls.hpp"

#include <arpa/inet.h>
#include <pthread.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>

struct cdcm_scp {
    std::shared_ptr<cdcm::ServerState> state;
};

namespace cdcm {

ServerState::~ServerState() {
    if (network != nullptr) ASC_dropNetwork(&network);
    if (callbacks.release != nullptr) callbacks.release(callbacks.context);
}

void ServerState::event(int kind, int detail, const std::string &message, const AssociationRecord *association) {
    if (callbacks.event == nullptr) return;
    if (association != nullptr) {
        const cdcm_association_info info = association->info();
        callbacks.event(callbacks.context, kind, detail, message.c_str(), &info);
    } else {
        callbacks.event(callbacks.context, kind, detail, message.c_str(), nullptr);
    }
}

void discardAssociation(T_ASC_Association *&association) {
    if (association == nullptr) return;
    // Give the peer a second to close first (so a release response or rejection is read before
    // our close), not DCMTK's default 180 s: a peer that never closes would hold this thread.
    ASC_dropSCPAssociation(association, 1);
    ASC_destroyAssociation(&association);
    association = nullptr;
}

namespace {

// DcmTransportConnection::getSocket is protected; a member pointer taken through a derived class
// is the standard-conforming way to call it on a base object.
struct SocketAccess : DcmTransportConnection {
    static DcmNativeSocketType socketOf(DcmTransportConnection *connection) {
        DcmNativeSocketType (DcmTransportConnection::*get)() = &SocketAccess::getSocket;
        return (connection->*get)();
    }
};

// The peer's IPv4 address from the association's socket. (DCMTK 3.6.7 hands
// checkCallingHostAccepted the called address, so we ask the socket.)
std::string peerAddress(T_ASC_Association *association) {
    DcmTransportConnection *connection = DUL_getTransportConnection(association->DULassociation);
    if (connection == nullptr) return "";
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getpeername(SocketAccess::socketOf(connection), reinterpret_cast<sockaddr *>(&address), &length) != 0) return "";
    char text[INET6_ADDRSTRLEN] = {0};
    if (address.ss_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in *>(&address)->sin_addr, text, sizeof text);
    } else if (address.ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6 *>(&address)->sin6_addr, text, sizeof text);
    }
    return text;
}

AssociationRecord recordOf(ServerState &state, T_ASC_Association *association) {
    AssociationRecord record;
    record.id = ++state.lastAssociationID;
    char calling[64] = {0}, called[64] = {0};
    ASC_getAPTitles(association->params, calling, sizeof calling, called, sizeof called, nullptr, 0);
    record.callingAE = trimmed(calling);
    record.calledAE = trimmed(called);
    record.peerAddress = peerAddress(association);
    return record;
}

void reject(T_ASC_Association *association, int reason) {
    T_ASC_RejectParameters parameters{};
    switch (reason) {
    case CDCM_REJECT_CALLING_AE:
        parameters = {ASC_RESULT_REJECTEDPERMANENT, ASC_SOURCE_SERVICEUSER, ASC_REASON_SU_CALLINGAETITLENOTRECOGNIZED};
        break;
    case CDCM_REJECT_CALLED_AE:
        parameters = {ASC_RESULT_REJECTEDPERMANENT, ASC_SOURCE_SERVICEUSER, ASC_REASON_SU_CALLEDAETITLENOTRECOGNIZED};
        break;
    case CDCM_REJECT_LOCAL_LIMIT:
        parameters = {ASC_RESULT_REJECTEDTRANSIENT, ASC_SOURCE_SERVICEPROVIDER_PRESENTATION_RELATED,
                      ASC_REASON_SP_PRES_LOCALLIMITEXCEEDED};
        break;
    default:
        parameters = {ASC_RESULT_REJECTEDPERMANENT, ASC_SOURCE_SERVICEUSER, ASC_REASON_SU_NOREASON};
        break;
    }
    ASC_rejectAssociation(association, &parameters);
}

// Accept Verification (uncompressed) and every storage SOP class DCMTK knows (more than the 128
// a DcmSCP profile holds) in the transfer syntaxes we can keep and decode; refuse the rest.
OFCondition negotiate(T_ASC_Association *association) {
    const char *verification[] = {UID_VerificationSOPClass};
    OFCondition c = ASC_acceptContextsWithPreferredTransferSyntaxes(
        association->params, verification, 1, const_cast<const char **>(kUncompressedSyntaxes), kUncompressedSyntaxCount);
    if (c.bad()) return c;
    return ASC_acceptContextsWithPreferredTransferSyntaxes(
        association->params, dcmAllStorageSOPClassUIDs, numberOfDcmAllStorageSOPClassUIDs,
        const_cast<const char **>(kStorageSyntaxes), kStorageSyntaxCount);
}

// Decide on one association request and, when accepted, hand it to a thread of its own.
void handleRequest(const std::shared_ptr<ServerState> &state, T_ASC_Association *association) {
    const AssociationRecord record = recordOf(*state, association);

    char context[128] = {0};
    ASC_getApplicationContextName(association->params, context, sizeof context);
    if (context[0] == 0 && record.callingAE.empty() && record.calledAE.empty()) {
        // DCMTK reports a connection that closed before sending anything (a port scan, a TCP
        // health check) as a request without parameters.
        state->event(CDCM_EVENT_FAILURE, 0, "a connection from " + record.peerAddress + " closed without an association request",
                     nullptr);
        discardAssociation(association);
        return;
    }
    if (std::strcmp(context, UID_StandardApplicationContext) != 0) {
        reject(association, CDCM_REJECT_NO_REASON);
        state->event(CDCM_EVENT_REJECTED, CDCM_REJECT_NO_REASON,
                     std::string("application context '") + context + "' is not DICOM's", &record);
        discardAssociation(association);
        return;
    }

    const cdcm_association_info info = record.info();
    int decision = state->callbacks.decide != nullptr ? state->callbacks.decide(state->callbacks.context, &info)
                                                      : CDCM_DECISION_ACCEPT;
    std::string why;
    if (decision == CDCM_DECISION_ACCEPT) {
        std::lock_guard<std::mutex> lock(state->mutex);
        const int limit = state->maxAssociations.load();
        if (state->active >= limit) {
            decision = CDCM_REJECT_LOCAL_LIMIT;
            why = std::to_string(state->active) + " associations already running (limit " + std::to_string(limit) + ")";
        } else {
            ++state->active;   // reserved for the thread started below
        }
    }
    if (decision != CDCM_DECISION_ACCEPT) {
        reject(association, decision);
        state->event(CDCM_EVENT_REJECTED, decision, why, &record);
        discardAssociation(association);
        return;
    }

    OFCondition c = negotiate(association);
    if (c.good()) {
        try {
            std::thread(runAssociation, state, association, record).detach();
            return;
        } catch (const std::exception &e) {
            why = std::string("cannot start a thread for the association: ") + e.what();
        }
    } else {
        why = "presentation context negotiation failed: " + conditionText(c);
    }
    {
        std::lock_guard<std::mutex> lock(state->mutex);
        --state->active;
    }
    state->ended.notify_all();
    reject(association, CDCM_REJECT_LOCAL_LIMIT);
    state->event(CDCM_EVENT_REJECTED, CDCM_REJECT_LOCAL_LIMIT, why, &record);
    discardAssociation(association);
}

void acceptLoop(std::shared_ptr<ServerState> state) {
    pthread_setname_np(pthread_self(), kAcceptThreadName);
    while (!state->stopping.load()) {
        T_ASC_Association *association = nullptr;
        try {
            // Non-blocking with a 1 s timeout so a stop request is seen within about a second.
            OFCondition c = ASC_receiveAssociation(state->network, &association, kMaxReceivePDU, nullptr, nullptr,
                                                   state->secure ? OFTrue : OFFalse, DUL_NOBLOCK, 1);
            if (c == DUL_NOASSOCIATIONREQUEST) {
                discardAssociation(association);
                continue;
            }
            if (c.bad()) {
                const std::string from = association != nullptr && association->DULassociation != nullptr
                                             ? " from " + peerAddress(association) : "";
                const std::string what = isTLSFailure(c)
                    ? "a TLS handshake" + from + " failed (a peer without TLS, or a client certificate not signed by a trusted CA?): "
                    : "an association request" + from + " could not be read (not a DICOM peer?): ";
                state->event(CDCM_EVENT_FAILURE, 0, what + conditionText(c), nullptr);
                discardAssociation(association);
                // A broken listen socket fails at once; do not spin on it.
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                continue;
            }
            handleRequest(state, association);
        } catch (const std::exception &e) {
            state->event(CDCM_EVENT_FAILURE, 0, std::string("internal error in the accept loop: ") + e.what(), nullptr);
            discardAssociation(association);
        } catch (...) {
            state->event(CDCM_EVENT_FAILURE, 0, "internal error in the accept loop", nullptr);
            discardAssociation(association);
        }
    }
    // Closes the listen socket. Running associations do not use the network object.
    ASC_dropNetwork(&state->network);
}

} // namespace
} // namespace cdcm

int cdcm_scp_start(int port, int maxAssociations, int networkTimeoutSeconds, const cdcm_tls_settings *tls,
                   const cdcm_scp_callbacks *callbacks, cdcm_scp **out, char *err, size_t errlen) {
    *out = nullptr;
    // From here on the state owns the context: its destructor calls release exactly once.
    auto state = std::make_shared<cdcm::ServerState>();
    state->callbacks = *callbacks;
    return cdcm::guarded(err, errlen, [&]() -> int {
        cdcm_network_initialize();
        if (port < 1 || port > 65535) {
            cdcm::setError(err, errlen, "port " + std::to_string(port) + " is not a TCP port (1-65535)");
            return CDCM_ERROR;
        }
        // The TLS files are checked before binding, so a bad file leaves the port free.
        std::unique_ptr<DcmTransportLayer> layer;
        if (tls != nullptr) {
            std::string why;
            layer = cdcm::makeTLSLayer(NET_ACCEPTOR, *tls, why);
            if (!layer) {
                cdcm::setError(err, errlen, why);
                return CDCM_ERROR;
            }
        }
        state->maxAssociations = maxAssociations < 1 ? 1 : maxAssociations;
        state->timeoutSeconds = networkTimeoutSeconds < 1 ? 1 : networkTimeoutSeconds;
        // The ACSE timeout bounds how long a silent connection can hold the accept loop while we
        // read its association request: a healthy peer sends it within milliseconds.
        const int acseTimeout = std::min(state->timeoutSeconds.load(), 15);
        OFCondition c = ASC_initializeNetwork(NET_ACCEPTOR, port, acseTimeout, &state->network);
        if (c.bad()) {
            cdcm::setError(err, errlen, "cannot listen on TCP port " + std::to_string(port) + ": " + cdcm::conditionText(c));
            return CDCM_ERROR;
        }
        if (layer) {
            const std::string why = cdcm::installTLSLayer(state->network, std::move(layer));
            if (!why.empty()) {
                cdcm::setError(err, errlen, why);
                return CDCM_ERROR;   // the state's destructor drops the network
            }
            state->secure = true;
        }
        state->acceptThread = std::thread(cdcm::acceptLoop, state);
        *out = new cdcm_scp{state};
        return CDCM_OK;
    });
}

int cdcm_scp_stop(cdcm_scp *scp, double waitSeconds) {
    try {
        cdcm::ServerState &state = *scp->state;
        std::lock_guard<std::mutex> stopLock(state.stopMutex);
        state.stopping = true;
        if (state.acceptThread.joinable()) {
            if (state.acceptThread.get_id() == std::this_thread::get_id()) state.acceptThread.detach();
            else state.acceptThread.join();
        }
        const auto deadline = std::chrono::steady_clock::now() +
                              std::chrono::microseconds(static_cast<long long>(std::max(0.0, waitSeconds) * 1e6));
        std::unique_lock<std::mutex> lock(state.mutex);
        state.ended.wait_until(lock, deadline, [&] { return state.active == 0; });
        const int remaining = state.active;
        if (remaining > 0) state.abortRunning = true;
        return remaining;
    } catch (...) {
        return -1;
    }
}

int cdcm_scp_active_associations(cdcm_scp *scp) {
    std::lock_guard<std::mutex> lock(scp->state->mutex);
    return scp->state->active;
}

void cdcm_scp_configure(cdcm_scp *scp, int maxAssociations, int networkTimeoutSeconds) {
    scp->state->maxAssociations = maxAssociations < 1 ? 1 : maxAssociations;
    scp->state->timeoutSeconds = networkTimeoutSeconds < 1 ? 1 : networkTimeoutSeconds;
}

void cdcm_scp_free(cdcm_scp *scp) {
    if (scp == nullptr) return;
    cdcm_scp_stop(scp, 0);
    delete scp;
}
