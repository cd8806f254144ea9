// Reading the native bytes of Pixel Data (e.g. RGB Secondary Capture written by ctperf).
#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dctk.h"

#include "cdcmtk.h"
#include "shim_common.hpp"

#include <cstdlib>

int cdcm_load_pixel_bytes(const char *path, uint8_t **out, size_t *length, char *err, size_t errlen) {
    return cdcm::guarded(err, errlen, [&]() -> int {
        *out = nullptr;
        *length = 0;
        cdcm_initialize();
        DcmFileFormat format;
        OFCondition c = format.loadFile(path);
        if (c.bad()) { cdcm::setError(err, errlen, std::string("cannot read ") + path + ": " + c.text()); return CDCM_ERROR; }
        DcmDataset *ds = format.getDataset();
        if (!ds->tagExists(DCM_PixelData)) { cdcm::setError(err, errlen, "no Pixel Data (7FE0,0010)"); return CDCM_NOT_FOUND; }
        // Decompress encapsulated pixel data (codecs registered by cdcm_initialize).
        c = ds->chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
        if (c.bad()) { cdcm::setError(err, errlen, std::string("cannot decode Pixel Data: ") + c.text()); return CDCM_ERROR; }
        DcmElement *element = nullptr;
        c = ds->findAndGetElement(DCM_PixelData, element);
        if (c.bad() || element == nullptr) { cdcm::setError(err, errlen, std::string("cannot access Pixel Data: ") + c.text()); return CDCM_ERROR; }
        const Uint32 n = element->getLength();
        Uint8 *bytes = nullptr;
        if (n > 0) {
            c = element->getUint8Array(bytes);
            if (c.bad() || bytes == nullptr) {
                // OW pixel data: fetch as 16-bit words and hand out their bytes (host order, little
                // endian on the platforms ctperf runs on).
                Uint16 *words = nullptr;
                c = element->getUint16Array(words);
                if (c.bad() || words == nullptr) { cdcm::setError(err, errlen, std::string("cannot read Pixel Data: ") + c.text()); return CDCM_ERROR; }
                bytes = reinterpret_cast<Uint8 *>(words);
            }
        }
        auto *buffer = static_cast<uint8_t *>(std::malloc(n > 0 ? n : 1));
        if (buffer == nullptr) { cdcm::setError(err, errlen, "out of memory"); return CDCM_ERROR; }
        if (n > 0) std::memcpy(buffer, bytes, n);
        *out = buffer;
        *length = n;
        return CDCM_OK;
    });
}

void cdcm_free_bytes(uint8_t *bytes) { std::free(bytes); }
