// Internal state of the C-STORE/C-ECHO SCP, shared by the accept loop (shim_scp.cpp) and the
// association threads (shim_scp_association.cpp). Not visible to Swift.
#ifndef CTPERF_SHIM_SCP_HPP
#define CTPERF_SHIM_SCP_HPP

#include "shim_network.hpp"
#include "cdcmtk.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace cdcm {

// Thread names (at most 15 characters), visible in `top -H`, /proc/<pid>/task/*/comm and gdb.
constexpr const char *kAcceptThreadName = "ctperf-scp";
constexpr const char *kAssociationThreadName = "ctperf-assoc";

// Who is on the other end of an association; lives as long as the association.
struct AssociationRecord {
    uint64_t id = 0;
    std::string callingAE, calledAE, peerAddress;

    // A C view of the record; its pointers are valid while the record is.
    cdcm_association_info info() const {
        return cdcm_association_info{id, callingAE.c_str(), calledAE.c_str(), peerAddress.c_str()};
    }
};

// Everything the accept thread and the association threads share. Owned jointly (shared_ptr)
// by the handle, the accept thread and every association thread, so a handle freed while
// associations still run leaves them a valid state; the last owner releases the callbacks'
// context.
struct ServerState {
    cdcm_scp_callbacks callbacks{};
    std::atomic<int> maxAssociations{1};
    std::atomic<int> timeoutSeconds{60};      // DIMSE timeout: longest silence within an association
    std::atomic<bool> stopping{false};        // the accept loop ends
    std::atomic<bool> abortRunning{false};    // idle associations abort (stop's deadline passed)
    std::atomic<uint64_t> lastAssociationID{0};

    std::mutex mutex;                         // guards active
    std::condition_variable ended;            // signalled when an association thread ends
    int active = 0;                           // accepted associations whose thread has not ended

    T_ASC_Network *network = nullptr;         // owned by the accept thread once it runs
    bool secure = false;                      // connections begin with a TLS handshake
    std::mutex stopMutex;                     // serialises stop()
    std::thread acceptThread;                 // joined by stop()

    ServerState() = default;
    ServerState(const ServerState &) = delete;
    ServerState &operator=(const ServerState &) = delete;
    ~ServerState();

    // Report an event to the embedding application (never throws).
    void event(int kind, int detail, const std::string &message, const AssociationRecord *association);
};

// Run one accepted (not yet acknowledged) association to its end on the calling thread:
// acknowledge, serve C-ECHO and C-STORE until release, abort or timeout, report the ending,
// free the association and decrement the active count.
void runAssociation(std::shared_ptr<ServerState> state, T_ASC_Association *association,
                    AssociationRecord record);

// Drop and free an association in whatever state it is (nullptr is fine).
void discardAssociation(T_ASC_Association *&association);

} // namespace cdcm

#endif
