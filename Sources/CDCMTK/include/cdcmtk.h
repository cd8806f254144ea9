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

#ifdef __cplusplus
}
#endif

#endif
