// Reading: open files, fetch tag values along sequence paths, decode frames to floats.
#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dctk.h"
#include "dcmtk/dcmjpeg/djdecode.h"
#include "dcmtk/dcmjpls/djdecode.h"
#include "dcmtk/dcmdata/dcrledrg.h"
#include "dcmtk/dcmjpeg/djencode.h"
#include "dcmtk/dcmjpls/djencode.h"
#include "dcmtk/dcmdata/dcrleerg.h"
#include "dcmtk/oflog/oflog.h"
#include "dcmtk/dcmdata/dcistrmf.h"

#include "cdcmtk.h"
#include "shim_common.hpp"

#include <fstream>
#include <mutex>

struct cdcm_file {
    DcmFileFormat format;
    bool decoded = false;
};

void cdcm_initialize(void) {
    static std::once_flag once;
    std::call_once(once, [] {
        // Quiet DCMTK's own logger: errors reach the user through our messages.
        OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
        DJDecoderRegistration::registerCodecs();
        DJLSDecoderRegistration::registerCodecs();
        DcmRLEDecoderRegistration::registerCodecs();
        DJEncoderRegistration::registerCodecs();
        DJLSEncoderRegistration::registerCodecs();
        DcmRLEEncoderRegistration::registerCodecs();
    });
}

// Files without "DICM" at offset 128 are accepted only when they start like a dataset
// (group 0x0002 or 0x0008, little endian); everything else is "not a DICOM file".
static bool looksLikeDicom(const char *path, std::string &why) {
    std::ifstream in(path, std::ios::binary);
    if (!in) { why = "cannot open file"; return false; }
    unsigned char head[132];
    in.read(reinterpret_cast<char *>(head), sizeof head);
    std::streamsize n = in.gcount();
    if (n >= 132 && std::memcmp(head + 128, "DICM", 4) == 0) return true;
    if (n >= 8) {
        unsigned group = head[0] | (head[1] << 8);
        if (group == 0x0002 || group == 0x0008) return true;
    }
    why = n < 132 ? "not a DICOM file (too short, no DICM preamble)" : "not a DICOM file (no DICM preamble)";
    return false;
}

int cdcm_open(const char *path, cdcm_file **out, char *err, size_t errlen) {
    return cdcm::guarded(err, errlen, [&]() -> int {
        *out = nullptr;
        std::string why;
        if (!looksLikeDicom(path, why)) { cdcm::setError(err, errlen, why); return CDCM_ERROR; }
        auto *f = new cdcm_file();
        // Read through our own stream (not loadFile) so that a file which ends before its last
        // element is complete is reported as truncated instead of silently read in part.
        // Values longer than DCM_MaxReadLength (4 KiB), such as Pixel Data, load on access.
        DcmInputFileStream stream(path);
        if (stream.status().bad()) {
            cdcm::setError(err, errlen, std::string("cannot open file: ") + stream.status().text());
            delete f;
            return CDCM_ERROR;
        }
        f->format.transferInit();
        OFCondition c = f->format.read(stream, EXS_Unknown, EGL_noChange, DCM_MaxReadLength);
        f->format.transferEnd();
        if (c == EC_StreamNotifyClient) {
            cdcm::setError(err, errlen, "unreadable DICOM: file truncated (it ends inside an element)");
            delete f;
            return CDCM_ERROR;
        }
        if (c.bad()) {
            cdcm::setError(err, errlen, std::string("unreadable DICOM: ") + c.text());
            delete f;
            return CDCM_ERROR;
        }
        // DCMTK accepts a file cut inside an element value when the element header was read.
        // The encoded length of what was parsed (explicit lengths, so never more than the real
        // encoding) cannot exceed the file's size unless the file is truncated.
        const Uint32 fileSize = static_cast<Uint32>(OFStandard::getFileSize(path));
        DcmMetaInfo *meta = f->format.getMetaInfo();
        DcmDataset *ds = f->format.getDataset();
        const Uint32 metaBytes = meta->card() > 0 ? meta->calcElementLength(EXS_LittleEndianExplicit, EET_ExplicitLength) : 0; // includes the 132-byte preamble
        const Uint32 dataBytes = ds->calcElementLength(ds->getOriginalXfer(), EET_ExplicitLength);
        if (static_cast<unsigned long long>(metaBytes) + dataBytes > fileSize) {
            cdcm::setError(err, errlen, "unreadable DICOM: file truncated (" + std::to_string(fileSize) + " bytes, its elements need " +
                                        std::to_string(metaBytes + dataBytes) + ")");
            delete f;
            return CDCM_ERROR;
        }
        *out = f;
        return CDCM_OK;
    });
}

void cdcm_close(cdcm_file *file) { delete file; }

int cdcm_transfer_syntax(const cdcm_file *file, char *buf, size_t buflen) {
    return cdcm::guarded(buf, buflen, [&]() -> int {
        auto *f = const_cast<cdcm_file *>(file);
        OFString uid;
        if (f->format.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, uid).good() && !uid.empty()) {
            std::snprintf(buf, buflen, "%s", uid.c_str());
            return CDCM_OK;
        }
        DcmXfer x(f->format.getDataset()->getOriginalXfer());
        std::snprintf(buf, buflen, "%s", x.getXferID());
        return CDCM_OK;
    });
}

// Walk a tag path to the item holding the last tag. Returns nullptr if absent.
static DcmItem *itemForPath(DcmItem *root, const uint32_t *path, int pathlen) {
    DcmItem *item = root;
    for (int p = 0; p + 2 < pathlen; p += 2) {
        DcmItem *next = nullptr;
        if (item->findAndGetSequenceItem(cdcm::tagKey(path[p]), next, static_cast<signed long>(path[p + 1])).bad() || next == nullptr)
            return nullptr;
        item = next;
    }
    return item;
}

int cdcm_get_string(const cdcm_file *file, const uint32_t *path, int pathlen, char *buf, size_t buflen) {
    return cdcm::guarded(buf, buflen, [&]() -> int {
        if (pathlen < 1 || pathlen % 2 == 0) return CDCM_ERROR;
        auto *f = const_cast<cdcm_file *>(file);
        DcmItem *item = itemForPath(f->format.getDataset(), path, pathlen);
        if (item == nullptr) return CDCM_NOT_FOUND;
        DcmElement *elem = nullptr;
        if (item->findAndGetElement(cdcm::tagKey(path[pathlen - 1]), elem).bad() || elem == nullptr)
            return CDCM_NOT_FOUND;
        OFString value;
        if (elem->getOFStringArray(value).bad()) return CDCM_NOT_FOUND;
        std::snprintf(buf, buflen, "%s", value.c_str());
        return CDCM_OK;
    });
}

int cdcm_count_items(const cdcm_file *file, const uint32_t *path, int pathlen) {
    try {
        if (pathlen < 1 || pathlen % 2 == 0) return 0;
        auto *f = const_cast<cdcm_file *>(file);
        DcmItem *item = itemForPath(f->format.getDataset(), path, pathlen);
        if (item == nullptr) return 0;
        DcmSequenceOfItems *seq = nullptr;
        if (item->findAndGetSequence(cdcm::tagKey(path[pathlen - 1]), seq).bad() || seq == nullptr) return 0;
        return static_cast<int>(seq->card());
    } catch (...) {
        return 0;
    }
}

int cdcm_has_pixel_data(const cdcm_file *file) {
    try {
        auto *f = const_cast<cdcm_file *>(file);
        return f->format.getDataset()->tagExists(DCM_PixelData) ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

int cdcm_read_frame(cdcm_file *file, uint32_t frame, double slope, double intercept,
                    float *out, size_t count, char *err, size_t errlen) {
    return cdcm::guarded(err, errlen, [&]() -> int {
        DcmDataset *ds = file->format.getDataset();
        Uint16 bitsAllocated = 0, bitsStored = 0, pixelRep = 0, rows = 0, cols = 0, spp = 1;
        ds->findAndGetUint16(DCM_BitsAllocated, bitsAllocated);
        ds->findAndGetUint16(DCM_BitsStored, bitsStored);
        ds->findAndGetUint16(DCM_PixelRepresentation, pixelRep);
        ds->findAndGetUint16(DCM_Rows, rows);
        ds->findAndGetUint16(DCM_Columns, cols);
        ds->findAndGetUint16(DCM_SamplesPerPixel, spp);
        if (bitsAllocated != 16) {
            cdcm::setError(err, errlen, "unsupported BitsAllocated " + std::to_string(bitsAllocated) + " (CT images use 16)");
            return CDCM_UNSUPPORTED;
        }
        if (spp != 1) {
            cdcm::setError(err, errlen, "unsupported SamplesPerPixel " + std::to_string(spp) + " (CT images are monochrome)");
            return CDCM_UNSUPPORTED;
        }
        const size_t framePixels = static_cast<size_t>(rows) * cols;
        if (framePixels == 0 || count != framePixels) {
            cdcm::setError(err, errlen, "frame size mismatch: " + std::to_string(rows) + "x" + std::to_string(cols));
            return CDCM_ERROR;
        }
        if (!file->decoded) {
            DcmXfer original(ds->getOriginalXfer());
            if (original.isEncapsulated()) {
                if (!ds->chooseRepresentation(EXS_LittleEndianExplicit, nullptr).good() ||
                    !ds->canWriteXfer(EXS_LittleEndianExplicit)) {
                    cdcm::setError(err, errlen, std::string("unsupported transfer syntax ") + original.getXferName() +
                                                " (" + original.getXferID() + "): no decoder");
                    return CDCM_UNSUPPORTED;
                }
            }
            file->decoded = true;
        }
        const Uint16 *raw = nullptr;
        unsigned long n = 0;
        OFCondition c = ds->findAndGetUint16Array(DCM_PixelData, raw, &n);
        if (c.bad() || raw == nullptr) {
            cdcm::setError(err, errlen, std::string("cannot read Pixel Data: ") + c.text());
            return CDCM_ERROR;
        }
        const size_t offset = static_cast<size_t>(frame) * framePixels;
        if (offset + framePixels > n) {
            cdcm::setError(err, errlen, "Pixel Data holds " + std::to_string(n) + " values, frame " + std::to_string(frame) +
                                        " needs " + std::to_string(offset + framePixels) + " (truncated file?)");
            return CDCM_ERROR;
        }
        const Uint16 *src = raw + offset;
        if (bitsStored == 0 || bitsStored > 16) bitsStored = 16;
        const uint32_t mask = bitsStored == 16 ? 0xFFFFu : ((1u << bitsStored) - 1u);
        const float s = static_cast<float>(slope), b = static_cast<float>(intercept);
        if (pixelRep == 1) {
            const int shift = 32 - bitsStored;
            for (size_t i = 0; i < framePixels; ++i) {
                int32_t v = static_cast<int32_t>((static_cast<uint32_t>(src[i]) & mask) << shift) >> shift;
                out[i] = static_cast<float>(v) * s + b;
            }
        } else {
            for (size_t i = 0; i < framePixels; ++i) {
                out[i] = static_cast<float>(src[i] & mask) * s + b;
            }
        }
        return CDCM_OK;
    });
}
