// C-STORE/C-ECHO SCP: one accepted association on its own thread, from acknowledgement to its
// end (release, abort, timeout). C-STORE datasets are received into memory and handed to the
// store callback; the response carries the status the callback returns.
#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmnet/assoc.h"
#include "dcmtk/dcmnet/dimse.h"
#include "dcmtk/dcmnet/dulstruc.h"
#include "dcmtk/dcmdata/dctk.h"
#include "dcmtk/dcmdata/dcostrmb.h"

#include "cdcmtk.h"
#include "shim_common.hpp"
#include "shim_scp.hpp"

#include <pthread.h>

#include <chrono>
#include <cstdio>

// A received C-STORE dataset with its (lazily encoded) Part 10 bytes.
struct cdcm_received_instance {
    DcmFileFormat format;          // meta header (SourceApplicationEntityTitle) + received dataset
    E_TransferSyntax transferSyntax = EXS_Unknown;
    std::unique_ptr<uint8_t[]> bytes;
    size_t length = 0;
    bool encoded = false;
};

namespace cdcm {
namespace {

std::string stringOf(DcmItem *item, const DcmTagKey &tag) {
    OFString value;
    if (item->findAndGetOFString(tag, value).bad()) return "";
    return trimmed(value.c_str());
}

// How an association ended, for the event callback.
struct Ending {
    int kind = CDCM_EVENT_ABORTED;
    std::string message;
};

std::string hex4(unsigned value) {
    char text[8];
    std::snprintf(text, sizeof text, "%04X", value & 0xFFFFu);
    return text;
}

// Receive the dataset of a C-STORE-RQ, let the store callback decide, send the response.
// Returns false (with the ending filled in) when the association cannot continue.
bool serveStore(ServerState &state, T_ASC_Association *association, const AssociationRecord &record,
                T_ASC_PresentationContextID presentationID, T_DIMSE_C_StoreRQ &request, Ending &ending) {
    const int timeout = state.timeoutSeconds.load();
    cdcm_received_instance instance;
    instance.format.getMetaInfo()->putAndInsertString(DCM_SourceApplicationEntityTitle, record.callingAE.c_str());
    DcmDataset *dataset = instance.format.getDataset();

    uint16_t status = STATUS_Success;
    char comment[256] = {0};
    if (request.DataSetType == DIMSE_DATASET_NULL) {
        status = STATUS_STORE_Error_CannotUnderstand;
        std::snprintf(comment, sizeof comment, "C-STORE request without a dataset");
    } else {
        T_ASC_PresentationContextID dataPresentationID = 0;
        OFCondition c = DIMSE_receiveDataSetInMemory(association, DIMSE_NONBLOCKING, timeout, &dataPresentationID,
                                                     &dataset, nullptr, nullptr);
        if (c == DUL_PEERABORTEDASSOCIATION) {
            ending.message = "peer aborted the association while sending a dataset";
            return false;
        }
        if (c == DIMSE_NODATAAVAILABLE) {
            abortAssociation(association);
            ending.message = "no data for " + std::to_string(timeout) + " s while receiving a dataset (network timeout)";
            return false;
        }
        if (c.bad()) {
            abortAssociation(association);
            ending.message = "dataset could not be received: " + conditionText(c);
            return false;
        }
        T_ASC_PresentationContext context;
        if (ASC_findAcceptedPresentationContext(association->params, dataPresentationID, &context).bad()) {
            abortAssociation(association);
            ending.message = "dataset arrived on an unknown presentation context";
            return false;
        }
        const std::string transferSyntaxUID = trimmed(context.acceptedTransferSyntax);
        instance.transferSyntax = DcmXfer(transferSyntaxUID.c_str()).getXfer();

        const std::string affectedClass = trimmed(request.AffectedSOPClassUID);
        const std::string affectedInstance = trimmed(request.AffectedSOPInstanceUID);
        const std::string sopClass = stringOf(dataset, DCM_SOPClassUID);
        const std::string sopInstance = stringOf(dataset, DCM_SOPInstanceUID);
        const std::string study = stringOf(dataset, DCM_StudyInstanceUID);
        const std::string series = stringOf(dataset, DCM_SeriesInstanceUID);
        const std::string modality = stringOf(dataset, DCM_Modality);
        Uint16 rows = 0, columns = 0;
        dataset->findAndGetUint16(DCM_Rows, rows);
        dataset->findAndGetUint16(DCM_Columns, columns);
        Sint32 frames = 1;
        if (dataset->tagExists(DCM_NumberOfFrames) && dataset->findAndGetSint32(DCM_NumberOfFrames, frames).bad()) frames = 0;
        const cdcm_association_info info = record.info();
        const cdcm_store_request storeRequest{&info,
                                              affectedClass.c_str(),
                                              affectedInstance.c_str(),
                                              sopClass.c_str(),
                                              sopInstance.c_str(),
                                              study.c_str(),
                                              series.c_str(),
                                              modality.c_str(),
                                              transferSyntaxUID.c_str(),
                                              rows,
                                              columns,
                                              static_cast<uint32_t>(frames < 0 ? 0 : frames),
                                              &instance};
        status = state.callbacks.store != nullptr
                     ? state.callbacks.store(state.callbacks.context, &storeRequest, comment, sizeof comment)
                     : static_cast<uint16_t>(STATUS_STORE_Refused_OutOfResources);
    }

    T_DIMSE_C_StoreRSP response{};
    response.MessageIDBeingRespondedTo = request.MessageID;
    response.DimseStatus = status;
    response.DataSetType = DIMSE_DATASET_NULL;
    OFStandard::strlcpy(response.AffectedSOPClassUID, request.AffectedSOPClassUID, sizeof response.AffectedSOPClassUID);
    OFStandard::strlcpy(response.AffectedSOPInstanceUID, request.AffectedSOPInstanceUID, sizeof response.AffectedSOPInstanceUID);
    response.opts = O_STORE_AFFECTEDSOPCLASSUID | O_STORE_AFFECTEDSOPINSTANCEUID;
    if (request.opts & O_STORE_RQ_BLANK_PADDING) response.opts |= O_STORE_RSP_BLANK_PADDING;

    DcmDataset detail;
    DcmDataset *statusDetail = nullptr;
    comment[sizeof comment - 1] = 0;
    if (comment[0] != 0) {
        // Error Comment (0000,0902) is LO: at most 64 characters.
        std::string text(comment);
        if (text.size() > 64) text.resize(64);
        detail.putAndInsertString(DCM_ErrorComment, text.c_str());
        statusDetail = &detail;
    }
    OFCondition c = DIMSE_sendStoreResponse(association, presentationID, &request, &response, statusDetail);
    if (c.bad()) {
        abortAssociation(association);
        ending.message = "C-STORE response could not be sent: " + conditionText(c);
        return false;
    }
    return true;
}

// Whether the next command can be read now: PDVs already buffered by DUL (a peer may pack
// several into one PDU; DUL_dataWaiting only looks at the socket) or data within `seconds`.
bool commandWaiting(T_ASC_Association *association, int seconds) {
    const auto *key = reinterpret_cast<const PRIVATE_ASSOCIATIONKEY *>(association->DULassociation);
    if (key != nullptr && key->pdvIndex != -1) return true;
    return ASC_dataWaiting(association, seconds);
}

// Serve commands until the association ends; returns how it ended.
Ending serveCommands(ServerState &state, T_ASC_Association *association, const AssociationRecord &record) {
    Ending ending;
    for (;;) {
        // Wait for the next command in 1 s steps, so a stop deadline and the timeout are seen.
        // After stop's deadline the association ends here, between two commands: every response
        // already sent stands, and the sender retries the rest.
        int idleSeconds = 0;
        for (;;) {
            if (state.abortRunning.load()) {
                abortAssociation(association);
                ending.message = "stopped by the node (shutdown or reconfiguration)";
                return ending;
            }
            if (commandWaiting(association, 1)) break;
            if (++idleSeconds >= state.timeoutSeconds.load()) {
                abortAssociation(association);
                ending.message = "idle for " + std::to_string(idleSeconds) + " s (network timeout)";
                return ending;
            }
        }
        T_ASC_PresentationContextID presentationID = 0;
        T_DIMSE_Message message{};
        OFCondition c = DIMSE_receiveCommand(association, DIMSE_NONBLOCKING, state.timeoutSeconds.load(),
                                             &presentationID, &message, nullptr);
        if (c == DUL_PEERREQUESTEDRELEASE) {
            ASC_acknowledgeRelease(association);
            ending.kind = CDCM_EVENT_RELEASED;
            return ending;
        }
        if (c == DUL_PEERABORTEDASSOCIATION) {
            ending.message = "peer aborted the association";
            return ending;
        }
        if (c.bad()) {
            abortAssociation(association);
            ending.message = "network error: " + conditionText(c);
            return ending;
        }
        switch (message.CommandField) {
        case DIMSE_C_ECHO_RQ:
            c = DIMSE_sendEchoResponse(association, presentationID, &message.msg.CEchoRQ, STATUS_Success, nullptr);
            if (c.bad()) {
                abortAssociation(association);
                ending.message = "C-ECHO response could not be sent: " + conditionText(c);
                return ending;
            }
            state.event(CDCM_EVENT_ECHO, 0, "", &record);
            break;
        case DIMSE_C_STORE_RQ:
            if (!serveStore(state, association, record, presentationID, message.msg.CStoreRQ, ending)) return ending;
            break;
        default:
            // Only C-ECHO and C-STORE were negotiated; anything else is a protocol error.
            abortAssociation(association);
            ending.message = "unsupported DIMSE command 0x" + hex4(message.CommandField) + " (only C-ECHO and C-STORE are served)";
            return ending;
        }
    }
}

} // namespace

void runAssociation(std::shared_ptr<ServerState> state, T_ASC_Association *association, AssociationRecord record) {
    pthread_setname_np(pthread_self(), kAssociationThreadName);
    try {
        OFCondition c = ASC_acknowledgeAssociation(association);
        if (c.bad()) {
            state->event(CDCM_EVENT_ABORTED, 0, "association could not be acknowledged: " + conditionText(c), &record);
        } else {
            state->event(CDCM_EVENT_ACCEPTED, 0, "", &record);
            const Ending ending = serveCommands(*state, association, record);
            state->event(ending.kind, 0, ending.message, &record);
        }
    } catch (const std::exception &e) {
        if (association != nullptr) abortAssociation(association);
        state->event(CDCM_EVENT_ABORTED, 0, std::string("internal error: ") + e.what(), &record);
    } catch (...) {
        if (association != nullptr) abortAssociation(association);
        state->event(CDCM_EVENT_ABORTED, 0, "internal error", &record);
    }
    discardAssociation(association);
    {
        std::lock_guard<std::mutex> lock(state->mutex);
        --state->active;
    }
    state->ended.notify_all();
}

} // namespace cdcm

int cdcm_received_instance_file_bytes(cdcm_received_instance *instance, const uint8_t **bytes, size_t *length,
                                      char *err, size_t errlen) {
    return cdcm::guarded(err, errlen, [&]() -> int {
        *bytes = nullptr;
        *length = 0;
        if (!instance->encoded) {
            DcmFileFormat &format = instance->format;
            const E_TransferSyntax xfer = instance->transferSyntax;
            // The meta header is generated while writing; 64 KiB covers it and any rounding.
            const size_t capacity = static_cast<size_t>(format.getDataset()->calcElementLength(xfer, EET_ExplicitLength)) + 65536;
            std::unique_ptr<uint8_t[]> buffer(new uint8_t[capacity]);
            DcmOutputBufferStream stream(buffer.get(), static_cast<offile_off_t>(capacity));
            std::vector<uint8_t> overflow;   // used only when the estimate was too small
            void *filled = nullptr;
            offile_off_t filledLength = 0;
            format.transferInit();
            OFCondition c = EC_StreamNotifyClient;
            while (c == EC_StreamNotifyClient) {
                c = format.write(stream, xfer, EET_ExplicitLength, nullptr, EGL_recalcGL, EPD_withoutPadding,
                                 0, 0, 0, EWM_fileformat);
                if (c == EC_StreamNotifyClient || !overflow.empty()) {
                    stream.flushBuffer(filled, filledLength);
                    const uint8_t *p = static_cast<const uint8_t *>(filled);
                    overflow.insert(overflow.end(), p, p + filledLength);
                }
            }
            format.transferEnd();
            if (c.bad()) {
                cdcm::setError(err, errlen, std::string("cannot encode the received instance: ") + c.text());
                return CDCM_ERROR;
            }
            if (overflow.empty()) {
                stream.flushBuffer(filled, filledLength);
                instance->bytes = std::move(buffer);
                instance->length = static_cast<size_t>(filledLength);
            } else {
                instance->bytes.reset(new uint8_t[overflow.size()]);
                std::memcpy(instance->bytes.get(), overflow.data(), overflow.size());
                instance->length = overflow.size();
            }
            instance->encoded = true;
        }
        *bytes = instance->bytes.get();
        *length = instance->length;
        return CDCM_OK;
    });
}
