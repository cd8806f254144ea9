/*
 * cdcmtk.h — the plain-C face of ctperf's DCMTK shim. The only header Swift sees.
 * No STL or DCMTK types cross this line. Every function catches all C++ exceptions and
 * reports failure through its return value plus a message written into `err` (NUL-terminated,
 * truncated to `errlen`).
 *
 * Tag paths: a path addresses an element, possibly inside sequences, as
 *   { tag }                                  top-level element
 *   { seqTag, itemIndex, tag }               element inside item itemIndex of a sequence
 *   { seqTag, i, seqTag2, j, tag }           and so on (odd length, items are 0-based)
 * A tag is (group << 16) | element.
 */
#ifndef CTPERF_CDCMTK_H
#define CTPERF_CDCMTK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes returned by the shim. */
enum {
    CDCM_OK = 0,
    CDCM_NOT_FOUND = 1,        /* the element or item is absent (not an error by itself) */
    CDCM_ERROR = -1,           /* failure; see err */
    CDCM_UNSUPPORTED = -2      /* e.g. a transfer syntax without a decoder (JPEG 2000) */
};

/* Register the JPEG, JPEG-LS and RLE codecs once (idempotent, thread-safe). */
void cdcm_initialize(void);

/* ---------------------------------------------------------------- reading */

typedef struct cdcm_file cdcm_file;

/* Open a DICOM file. Large values (pixel data) are read lazily, so this is cheap.
 * Files without a Part 10 preamble are accepted when they start with a plausible group 0002
 * or 0008 element. Returns CDCM_OK and *out, or CDCM_ERROR with a reason in err. */
int cdcm_open(const char *path, cdcm_file **out, char *err, size_t errlen);
void cdcm_close(cdcm_file *file);

/* Transfer syntax UID of the dataset as stored (meta header, else detected). */
int cdcm_transfer_syntax(const cdcm_file *file, char *buf, size_t buflen);

/* Whole value of an element as a string (multi-valued joined with '\').
 * CDCM_OK, CDCM_NOT_FOUND, or CDCM_ERROR. */
int cdcm_get_string(const cdcm_file *file, const uint32_t *path, int pathlen, char *buf, size_t buflen);

/* Number of items of the sequence at path (0 when absent). */
int cdcm_count_items(const cdcm_file *file, const uint32_t *path, int pathlen);

/* Whether the top-level dataset holds a Pixel Data element (7FE0,0010). */
int cdcm_has_pixel_data(const cdcm_file *file);

/* Decode frame `frame` (0-based) of a 16-bit monochrome image into `out` (rows*columns floats),
 * applying stored-bits masking, sign extension for PixelRepresentation 1, then
 * value * slope + intercept. The first call decompresses the pixel data (all frames).
 * CDCM_UNSUPPORTED for transfer syntaxes without a decoder. */
int cdcm_read_frame(cdcm_file *file, uint32_t frame, double slope, double intercept,
                    float *out, size_t count, char *err, size_t errlen);

/* ---------------------------------------------------------------- writing */

typedef struct cdcm_builder cdcm_builder;
typedef struct cdcm_item cdcm_item; /* a dataset or sequence item owned by its builder */

cdcm_builder *cdcm_builder_new(void);
void cdcm_builder_free(cdcm_builder *builder);
cdcm_item *cdcm_builder_root(cdcm_builder *builder);

/* Put a string value (VR from the data dictionary; '\' separates values). */
int cdcm_item_put_string(cdcm_item *item, uint32_t tag, const char *value, char *err, size_t errlen);
/* Append a new item to the sequence `seqTag` of `item` (creating the sequence). NULL on error. */
cdcm_item *cdcm_item_append_item(cdcm_item *item, uint32_t seqTag, char *err, size_t errlen);
/* Put an empty sequence (type 2 sequences). */
int cdcm_item_put_empty_sequence(cdcm_item *item, uint32_t seqTag, char *err, size_t errlen);
/* Put native 16-bit Pixel Data (OW), `count` values (rows*columns*frames). */
int cdcm_item_put_pixels16(cdcm_item *item, const uint16_t *values, size_t count, char *err, size_t errlen);
/* Put native 8-bit Pixel Data (OB), e.g. RGB Secondary Capture. */
int cdcm_item_put_pixels8(cdcm_item *item, const uint8_t *values, size_t count, char *err, size_t errlen);

/* Save as a Part 10 file in the given transfer syntax UID, compressing with DCMTK's encoders
 * (JPEG lossless .57/.70, JPEG-LS lossless, RLE). The meta header is generated. */
int cdcm_builder_save(cdcm_builder *builder, const char *path, const char *transferSyntaxUID,
                      char *err, size_t errlen);

/* Save with encapsulated Pixel Data made of one opaque fragment per frame under a transfer
 * syntax we cannot encode (e.g. JPEG 2000). Used to produce deliberately unsupported test
 * files; the fragments are not valid codestreams. */
int cdcm_builder_save_opaque_encapsulated(cdcm_builder *builder, const char *path,
                                          const char *transferSyntaxUID, const uint8_t *fragment,
                                          size_t fragmentLength, uint32_t frames,
                                          char *err, size_t errlen);

/* Save without the Part 10 preamble and meta header (a raw dataset, implicit VR). */
int cdcm_builder_save_raw_dataset(cdcm_builder *builder, const char *path, char *err, size_t errlen);

/* ---------------------------------------------------------------- reading pixel bytes */

/* Load the file at `path` and return the native (uncompressed) bytes of its top-level Pixel Data
 * (PS3.5 8.1), e.g. an 8-bit RGB Secondary Capture; encapsulated pixel data is decompressed
 * first. On CDCM_OK *out is a malloc'd buffer of *length bytes that the caller releases with
 * cdcm_free_bytes. CDCM_NOT_FOUND when there is no Pixel Data, CDCM_ERROR with err otherwise. */
int cdcm_load_pixel_bytes(const char *path, uint8_t **out, size_t *length, char *err, size_t errlen);
void cdcm_free_bytes(uint8_t *bytes);

/* ---------------------------------------------------------------- TID 1500 Measurement Report */

/* A coded concept (PS3.3 8.8 Code Sequence Macro): code value, coding scheme designator, code
 * meaning. All three are required wherever a cdcm_code is passed. */
typedef struct cdcm_code {
    const char *value;
    const char *scheme;
    const char *meaning;
} cdcm_code;

/* A TID 1500 Measurement Report (PS3.16) built with DCMTK's dcmsr/cmr and written as an
 * Enhanced SR document. Build in this order: new, observer, procedure(s), then for each
 * measurement group: add_group followed by its measurements and qualitative evaluations;
 * evidence, coding schemes and attributes at any time; finally save. */
typedef struct cdcm_report cdcm_report;

/* A new report with the document title (CID 7021, e.g. 126000 DCM "Imaging Measurement Report"),
 * language English (TID 1204) and an empty Image Library (TID 1600). */
int cdcm_report_new(const cdcm_code *title, cdcm_report **out, char *err, size_t errlen);
void cdcm_report_free(cdcm_report *report);

/* Observer context (TID 1002/1004): a device observer. deviceUID is required; the others may be
 * NULL or empty. */
int cdcm_report_set_device_observer(cdcm_report *report, const char *deviceUID, const char *name,
                                    const char *manufacturer, const char *modelName,
                                    char *err, size_t errlen);

/* Procedure Reported (TID 1500 row 4, CID 100), e.g. 39142-5 LN "CT perfusion head with contrast IV". */
int cdcm_report_add_procedure(cdcm_report *report, const cdcm_code *procedure, char *err, size_t errlen);

/* Start a new Measurement Group (TID 1501) under Imaging Measurements: tracking identifier (text),
 * tracking unique identifier (UID), finding (required), finding site (NULL for none). */
int cdcm_report_add_group(cdcm_report *report, const char *trackingID, const char *trackingUID,
                          const cdcm_code *finding, const cdcm_code *findingSite,
                          char *err, size_t errlen);

/* A numeric measurement (TID 300) in the current group: concept name, value as a DS string
 * (at most 16 characters), UCUM unit, optional derivation (CID 7464, NULL for none) and optional
 * Equivalent Meaning of Concept Name text (TID 300 row 16, NULL for none). */
int cdcm_report_add_measurement(cdcm_report *report, const cdcm_code *concept, const char *value,
                                const cdcm_code *unit, const cdcm_code *derivation,
                                const char *equivalentMeaning, char *err, size_t errlen);

/* A coded qualitative evaluation (TID 1501 row 12) in the current group. */
int cdcm_report_add_qualitative(cdcm_report *report, const cdcm_code *concept, const cdcm_code *value,
                                char *err, size_t errlen);

/* A source image: listed in the Current Requested Procedure Evidence Sequence (PS3.3 C.17.2) and
 * as an entry of the Image Library (TID 1601). */
int cdcm_report_add_evidence(cdcm_report *report, const char *studyUID, const char *seriesUID,
                             const char *sopClassUID, const char *sopInstanceUID,
                             char *err, size_t errlen);

/* Declare a coding scheme in the Coding Scheme Identification Sequence (0008,0110), e.g. a
 * private "99..." scheme with its name and responsible organization. */
int cdcm_report_add_coding_scheme(cdcm_report *report, const char *designator, const char *name,
                                  const char *responsibleOrganization, char *err, size_t errlen);

/* A top-level attribute written over what DCMTK generates when saving (copied patient/study
 * attributes, Series/SOP Instance UIDs, dates, equipment); VR from the data dictionary. */
int cdcm_report_put_string(cdcm_report *report, uint32_t tag, const char *value, char *err, size_t errlen);

/* Check the report against TID 1500 (as far as DCMTK checks it), render the Enhanced SR document
 * (CompletionFlag COMPLETE, VerificationFlag UNVERIFIED), apply the attributes given with
 * cdcm_report_put_string and save it as a Part 10 file (Explicit VR Little Endian) at `path`. */
int cdcm_report_save(cdcm_report *report, const char *path, char *err, size_t errlen);

/* ---------------------------------------------------------------- networking (shared) */

/* One-time network set-up (idempotent, thread-safe): sets TCP_NODELAY=1 in the environment
 * unless already set (DCMTK reads it when it opens a socket; Nagle's algorithm otherwise costs
 * ~40 ms per PDU), disables reverse DNS lookups of peers, ignores SIGPIPE (unless a handler is
 * installed; a write to a vanished peer then fails instead of ending the process) and registers
 * the codecs. */
void cdcm_network_initialize(void);

/* DICOM over TLS (PS3.15 Annex B.1, DCMTK dcmtls; BCP 195 non-downgrading profile: TLS 1.2
 * or newer). Our identity is a PEM certificate with its unencrypted PEM private key. With one or
 * more trusted CA certificates the peer must present a certificate signed by one of them (for
 * the SCP: mutual TLS); with none, peers are not verified. Host names are not checked against
 * the peer's certificate. Strings are read during the call only. */
typedef struct cdcm_tls_settings {
    const char *certificate_file;        /* PEM certificate (chain) presented to the peer */
    const char *private_key_file;        /* PEM private key of that certificate, unencrypted */
    const char *const *trusted_ca_files; /* PEM CA certificates; may be NULL when the count is 0 */
    size_t trusted_ca_count;
} cdcm_tls_settings;

/* ---------------------------------------------------------------- C-STORE / C-ECHO SCP */

/* What is known about an association request when it arrives. Strings are NUL-terminated and
 * valid for the duration of the callback that receives them. */
typedef struct cdcm_association_info {
    uint64_t id;                 /* 1, 2, 3 ... per SCP, in arrival order (rejected ones too) */
    const char *calling_ae;      /* the peer's AE title, trimmed */
    const char *called_ae;       /* the AE title the peer asked for, trimmed */
    const char *peer_address;    /* dotted IPv4 address of the peer's socket */
} cdcm_association_info;

/* Answers of the decide callback (also used as the rejection detail of CDCM_EVENT_REJECTED). */
enum {
    CDCM_DECISION_ACCEPT = 0,
    CDCM_REJECT_CALLING_AE = 1,   /* permanent, service user: calling AE title not recognised */
    CDCM_REJECT_CALLED_AE = 2,    /* permanent, service user: called AE title not recognised */
    CDCM_REJECT_NO_REASON = 3,    /* permanent, service user: no reason given */
    CDCM_REJECT_LOCAL_LIMIT = 4   /* transient, service provider: local limit exceeded */
};

/* Kinds of events reported to the event callback. */
enum {
    CDCM_EVENT_ACCEPTED = 0,
    CDCM_EVENT_REJECTED = 1,      /* detail: the CDCM_REJECT_* reason */
    CDCM_EVENT_RELEASED = 2,
    CDCM_EVENT_ABORTED = 3,       /* message: why (peer abort, network error, timeout, stop) */
    CDCM_EVENT_ECHO = 4,
    CDCM_EVENT_FAILURE = 5        /* message: what failed; association may be NULL */
};

/* A received C-STORE dataset (opaque), valid during the store callback only. */
typedef struct cdcm_received_instance cdcm_received_instance;

/* One C-STORE request as handed to the store callback. Valid during the callback only. */
typedef struct cdcm_store_request {
    const cdcm_association_info *association;
    const char *affected_sop_class_uid;     /* from the command */
    const char *affected_sop_instance_uid;  /* from the command */
    const char *sop_class_uid;              /* from the dataset; "" when absent */
    const char *sop_instance_uid;
    const char *study_instance_uid;
    const char *series_instance_uid;
    const char *modality;
    const char *transfer_syntax_uid;        /* the presentation context's transfer syntax */
    uint32_t rows, columns;                 /* from the dataset; 0 when absent */
    uint32_t number_of_frames;              /* NumberOfFrames; 1 when absent, 0 when unreadable */
    cdcm_received_instance *instance;
} cdcm_store_request;

/* Callbacks into the embedding application. All may run concurrently on different threads:
 * decide on the accept thread, store on the association's thread, event on either. They must
 * not unwind (no C++ exceptions, no Swift errors) into the shim. */
typedef struct cdcm_scp_callbacks {
    void *context;
    /* Accept (CDCM_DECISION_ACCEPT) or reject (a CDCM_REJECT_* value) an association request. */
    int (*decide)(void *context, const cdcm_association_info *association);
    /* Handle a received instance; return the DIMSE status of the C-STORE-RSP and optionally
     * write an error comment (at most 64 characters are sent) into comment. */
    uint16_t (*store)(void *context, const cdcm_store_request *request, char *comment, size_t commentlen);
    /* Something happened (see CDCM_EVENT_*); association may be NULL, message may be "". */
    void (*event)(void *context, int kind, int detail, const char *message,
                  const cdcm_association_info *association);
    /* Called exactly once when the shim no longer uses context (after the last association
     * thread has ended), from whichever thread ends last. */
    void (*release)(void *context);
} cdcm_scp_callbacks;

typedef struct cdcm_scp cdcm_scp;

/* Listen on `port` (all IPv4 interfaces) and start accepting associations on a thread of its
 * own. With tls (NULL = plain TCP) every connection must begin with a TLS handshake; the
 * certificate, key and CA files are loaded here. Binding happens here: CDCM_ERROR with the
 * reason in err when the port cannot be used (in use, privileged) or a TLS file cannot be used.
 * On CDCM_ERROR callbacks->release has already been called. */
int cdcm_scp_start(int port, int maxAssociations, int networkTimeoutSeconds, const cdcm_tls_settings *tls,
                   const cdcm_scp_callbacks *callbacks, cdcm_scp **out, char *err, size_t errlen);

/* Stop accepting (the accept thread ends within ~1 s and the listen socket is closed), then wait
 * up to waitSeconds for running associations to end. Associations still running at the
 * deadline are aborted before their next command (a store in progress is finished and answered
 * first; an idle one within about a second). Returns how many were still running.
 * Idempotent. */
int cdcm_scp_stop(cdcm_scp *scp, double waitSeconds);

/* Number of associations currently running. */
int cdcm_scp_active_associations(cdcm_scp *scp);

/* Change the association limit and the DIMSE timeout while running. */
void cdcm_scp_configure(cdcm_scp *scp, int maxAssociations, int networkTimeoutSeconds);

/* Release the handle (stopping first when needed, without waiting). Threads still running keep
 * what they need until they end. */
void cdcm_scp_free(cdcm_scp *scp);

/* The received instance as a complete Part 10 file: meta header (generated for the transfer
 * syntax it arrived in, SourceApplicationEntityTitle = calling AE) and the dataset encoded as
 * received (encapsulated pixel data stays compressed; explicit lengths). Encoded into memory on
 * the first call; *bytes stays valid until the store callback returns. */
int cdcm_received_instance_file_bytes(cdcm_received_instance *instance, const uint8_t **bytes,
                                      size_t *length, char *err, size_t errlen);

/* ---------------------------------------------------------------- C-STORE / C-ECHO SCU */

/* Where to send: our calling AE, the peer's called AE, host (name or IPv4) and port. The timeout
 * bounds connecting, association negotiation and each wait for a response, in seconds. With tls
 * (NULL = plain TCP) the association runs over TLS; a TLS file that cannot be used or a failed
 * handshake (e.g. the peer's certificate is not signed by a trusted CA) is CDCM_SCU_PERMANENT. */
typedef struct cdcm_scu_target {
    const char *calling_ae;
    const char *called_ae;
    const char *host;
    int port;
    int timeout_seconds;
    const cdcm_tls_settings *tls;
} cdcm_scu_target;

/* Association-level results of cdcm_scu_send and cdcm_scu_echo besides CDCM_OK. */
enum {
    CDCM_SCU_TRANSIENT = -10,    /* worth retrying: refused, unreachable, timeout, transient reject, abort */
    CDCM_SCU_PERMANENT = -11     /* needs a person: permanent reject, no presentation context, bad file */
};

/* Per-file result: index into paths, the SOP Instance UID, the DIMSE status of the C-STORE-RSP
 * and its error comment ("" when none). */
typedef void (*cdcm_scu_outcome_fn)(void *context, size_t index, const char *sopInstanceUID,
                                    uint16_t status, const char *comment);

/* Send the files over one association. Every file is read before connecting (an unreadable file
 * is CDCM_SCU_PERMANENT and nothing is sent). Compressed files are sent as they are when the
 * peer accepts their transfer syntax, otherwise decompressed (lossless syntaxes only) and sent
 * uncompressed. outcome is called once per file, in order, once its response has arrived.
 * CDCM_OK when every file got a response (whatever its status), else CDCM_SCU_TRANSIENT or
 * CDCM_SCU_PERMANENT with the reason in err. */
int cdcm_scu_send(const cdcm_scu_target *target, const char *const *paths, size_t count,
                  cdcm_scu_outcome_fn outcome, void *context, char *err, size_t errlen);

/* C-ECHO: CDCM_OK when the peer answered success. */
int cdcm_scu_echo(const cdcm_scu_target *target, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
