// Writing: build datasets (nested sequences), attach pixels, save with DCMTK's encoders.
#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dctk.h"
#include "dcmtk/dcmdata/dcpxitem.h"
#include "dcmtk/dcmjpeg/djrplol.h"
#include "dcmtk/dcmjpls/djrparam.h"
#include "dcmtk/dcmdata/dcrlerp.h"

#include "cdcmtk.h"
#include "shim_common.hpp"

struct cdcm_builder {
    DcmFileFormat format;
};

// cdcm_item is never defined: a cdcm_item* is a DcmItem* owned by the builder's dataset.
static DcmItem *asItem(cdcm_item *item) { return reinterpret_cast<DcmItem *>(item); }
static cdcm_item *asHandle(DcmItem *item) { return reinterpret_cast<cdcm_item *>(item); }

cdcm_builder *cdcm_builder_new(void) {
    try { return new cdcm_builder(); } catch (...) { return nullptr; }
}

void cdcm_builder_free(cdcm_builder *builder) { delete builder; }

cdcm_item *cdcm_builder_root(cdcm_builder *builder) { return asHandle(builder->format.getDataset()); }

int cdcm_item_put_string(cdcm_item *item, uint32_t tag, const char *value, char *err, size_t errlen) {
    return cdcm::guarded(err, errlen, [&]() -> int {
        OFCondition c = asItem(item)->putAndInsertString(DcmTag(cdcm::tagKey(tag)), value);
        if (c.bad()) {
            char t[16];
            std::snprintf(t, sizeof t, "(%04X,%04X)", tag >> 16, tag & 0xFFFF);
            cdcm::setError(err, errlen, std::string("cannot put ") + t + ": " + c.text());
            return CDCM_ERROR;
        }
        return CDCM_OK;
    });
}

cdcm_item *cdcm_item_append_item(cdcm_item *item, uint32_t seqTag, char *err, size_t errlen) {
    try {
        DcmItem *newItem = nullptr;
        OFCondition c = asItem(item)->findOrCreateSequenceItem(cdcm::tagKey(seqTag), newItem, -2 /* append */);
        if (c.bad() || newItem == nullptr) {
            cdcm::setError(err, errlen, std::string("cannot append sequence item: ") + c.text());
            return nullptr;
        }
        return asHandle(newItem);
    } catch (...) {
        cdcm::setError(err, errlen, "internal error appending a sequence item");
        return nullptr;
    }
}

int cdcm_item_put_empty_sequence(cdcm_item *item, uint32_t seqTag, char *err, size_t errlen) {
    return cdcm::guarded(err, errlen, [&]() -> int {
        OFCondition c = asItem(item)->insertEmptyElement(DcmTag(cdcm::tagKey(seqTag)));
        if (c.bad()) { cdcm::setError(err, errlen, std::string("cannot put empty sequence: ") + c.text()); return CDCM_ERROR; }
        return CDCM_OK;
    });
}

int cdcm_item_put_pixels16(cdcm_item *item, const uint16_t *values, size_t count, char *err, size_t errlen) {
    return cdcm::guarded(err, errlen, [&]() -> int {
        OFCondition c = asItem(item)->putAndInsertUint16Array(DCM_PixelData, values, static_cast<unsigned long>(count));
        if (c.bad()) { cdcm::setError(err, errlen, std::string("cannot put Pixel Data: ") + c.text()); return CDCM_ERROR; }
        return CDCM_OK;
    });
}

int cdcm_item_put_pixels8(cdcm_item *item, const uint8_t *values, size_t count, char *err, size_t errlen) {
    return cdcm::guarded(err, errlen, [&]() -> int {
        OFCondition c = asItem(item)->putAndInsertUint8Array(DCM_PixelData, values, static_cast<unsigned long>(count));
        if (c.bad()) { cdcm::setError(err, errlen, std::string("cannot put Pixel Data: ") + c.text()); return CDCM_ERROR; }
        return CDCM_OK;
    });
}

int cdcm_builder_save(cdcm_builder *builder, const char *path, const char *transferSyntaxUID, char *err, size_t errlen) {
    return cdcm::guarded(err, errlen, [&]() -> int {
        DcmXfer xfer(transferSyntaxUID);
        E_TransferSyntax ts = xfer.getXfer();
        if (ts == EXS_Unknown) { cdcm::setError(err, errlen, std::string("unknown transfer syntax ") + transferSyntaxUID); return CDCM_ERROR; }
        DcmDataset *ds = builder->format.getDataset();
        if (xfer.isEncapsulated()) {
            OFCondition c = EC_Normal;
            if (ts == EXS_JPEGProcess14SV1) {
                DJ_RPLossless params(1, 0);
                c = ds->chooseRepresentation(ts, &params);
            } else if (ts == EXS_JPEGProcess14) {
                DJ_RPLossless params(6, 0);  // a predictor other than 1: exercises the general .57 path
                c = ds->chooseRepresentation(ts, &params);
            } else if (ts == EXS_JPEGLSLossless) {
                DJLSRepresentationParameter params(0, OFTrue);
                c = ds->chooseRepresentation(ts, &params);
            } else if (ts == EXS_RLELossless) {
                c = ds->chooseRepresentation(ts, nullptr);
            } else {
                cdcm::setError(err, errlen, std::string("no encoder for ") + xfer.getXferName());
                return CDCM_UNSUPPORTED;
            }
            if (c.bad() || !ds->canWriteXfer(ts)) {
                cdcm::setError(err, errlen, std::string("cannot compress to ") + xfer.getXferName() + ": " + c.text());
                return CDCM_ERROR;
            }
        }
        OFCondition c = builder->format.saveFile(path, ts, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0, EWM_updateMeta);
        if (c.bad()) { cdcm::setError(err, errlen, std::string("cannot write ") + path + ": " + c.text()); return CDCM_ERROR; }
        return CDCM_OK;
    });
}

int cdcm_builder_save_opaque_encapsulated(cdcm_builder *builder, const char *path, const char *transferSyntaxUID,
                                          const uint8_t *fragment, size_t fragmentLength, uint32_t frames,
                                          char *err, size_t errlen) {
    return cdcm::guarded(err, errlen, [&]() -> int {
        DcmXfer xfer(transferSyntaxUID);
        E_TransferSyntax ts = xfer.getXfer();
        if (ts == EXS_Unknown || !xfer.isEncapsulated()) {
            cdcm::setError(err, errlen, std::string("not an encapsulated transfer syntax: ") + transferSyntaxUID);
            return CDCM_ERROR;
        }
        DcmDataset *ds = builder->format.getDataset();
        ds->findAndDeleteElement(DCM_PixelData);
        auto *pixelData = new DcmPixelData(DCM_PixelData);
        auto *sequence = new DcmPixelSequence(DcmTag(DCM_PixelData, EVR_OB));
        sequence->insert(new DcmPixelItem(DcmTag(DCM_Item, EVR_OB)));  // empty basic offset table
        const size_t even = fragmentLength + (fragmentLength & 1);
        for (uint32_t f = 0; f < frames; ++f) {
            auto *item = new DcmPixelItem(DcmTag(DCM_Item, EVR_OB));
            Uint8 *buffer = nullptr;
            item->createUint8Array(static_cast<Uint32>(even), buffer);
            std::memset(buffer, 0, even);
            std::memcpy(buffer, fragment, fragmentLength);
            sequence->insert(item);
        }
        pixelData->putOriginalRepresentation(ts, nullptr, sequence);
        ds->insert(pixelData, OFTrue);
        OFCondition c = builder->format.saveFile(path, ts, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0, EWM_updateMeta);
        if (c.bad()) { cdcm::setError(err, errlen, std::string("cannot write ") + path + ": " + c.text()); return CDCM_ERROR; }
        return CDCM_OK;
    });
}

int cdcm_builder_save_raw_dataset(cdcm_builder *builder, const char *path, char *err, size_t errlen) {
    return cdcm::guarded(err, errlen, [&]() -> int {
        OFCondition c = builder->format.getDataset()->saveFile(path, EXS_LittleEndianImplicit);
        if (c.bad()) { cdcm::setError(err, errlen, std::string("cannot write ") + path + ": " + c.text()); return CDCM_ERROR; }
        return CDCM_OK;
    });
}
