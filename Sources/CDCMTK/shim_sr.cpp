// TID 1500 Measurement Report (PS3.16) through DCMTK's dcmsr/cmr, saved as an Enhanced SR document.
#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dctk.h"
#include "dcmtk/dcmsr/dsrdoc.h"
#include "dcmtk/dcmsr/dsrcodvl.h"
#include "dcmtk/dcmsr/cmr/init.h"
#include "dcmtk/dcmsr/cmr/tid1500.h"

#include "cdcmtk.h"
#include "shim_common.hpp"

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

struct Evidence {
    std::string study, series, sopClass, sopInstance;
};

struct CodingScheme {
    std::string designator, name, organization;
};

} // namespace

struct cdcm_report {
    TID1500_MeasurementReport tid1500;
    size_t groups = 0;
    std::vector<Evidence> evidence;
    std::vector<CodingScheme> schemes;
    std::vector<std::pair<uint32_t, std::string>> attributes;
};

namespace {

// DCMTK's context groups initialise lazily; do it once, before any report is built on any thread.
void initializeContentMappingResource() {
    static std::once_flag once;
    std::call_once(once, [] { CMR_ContentMappingResource::initializeAllContextGroups(); });
}

std::string text(const char *s) { return s == nullptr ? std::string() : std::string(s); }

// A coded entry from a cdcm_code, checked by DCMTK (VR of value, designator and meaning).
DSRCodedEntryValue coded(const cdcm_code *code, const char *what) {
    if (code == nullptr || code->value == nullptr || code->scheme == nullptr || code->meaning == nullptr) {
        throw std::invalid_argument(std::string(what) + ": incomplete code (value, scheme and meaning are required)");
    }
    DSRCodedEntryValue entry;
    OFCondition c = entry.setCode(code->value, code->scheme, code->meaning);
    if (c.bad()) {
        throw std::invalid_argument(std::string(what) + " (" + code->value + ", " + code->scheme + ", \"" +
                                    code->meaning + "\"): " + c.text());
    }
    return entry;
}

// Run a report step, turning a bad OFCondition or an exception into CDCM_ERROR with a message.
template <typename F>
int step(char *err, size_t errlen, const std::string &name, F body) {
    return cdcm::guarded(err, errlen, [&]() -> int {
        try {
            OFCondition c = body();
            if (c.bad()) { cdcm::setError(err, errlen, name + ": " + c.text()); return CDCM_ERROR; }
            return CDCM_OK;
        } catch (const std::invalid_argument &e) {
            cdcm::setError(err, errlen, name + ": " + e.what());
            return CDCM_ERROR;
        }
    });
}

} // namespace

int cdcm_report_new(const cdcm_code *title, cdcm_report **out, char *err, size_t errlen) {
    *out = nullptr;
    return step(err, errlen, "new measurement report", [&]() -> OFCondition {
        initializeContentMappingResource();
        auto report = std::make_unique<cdcm_report>();
        const CID7021_MeasurementReportDocumentTitles documentTitle(coded(title, "document title"));
        OFCondition c = report->tid1500.createNewMeasurementReport(documentTitle);
        if (c.good()) c = report->tid1500.setLanguage(CID5000_Languages::English);
        // TID 1600: the Image Library container, then one group for the source images.
        if (c.good()) c = report->tid1500.getImageLibrary().createNewImageLibrary();
        if (c.good()) c = report->tid1500.getImageLibrary().addImageGroup();
        if (c.good()) *out = report.release();
        return c;
    });
}

void cdcm_report_free(cdcm_report *report) { delete report; }

int cdcm_report_set_device_observer(cdcm_report *report, const char *deviceUID, const char *name,
                                    const char *manufacturer, const char *modelName, char *err, size_t errlen) {
    return step(err, errlen, "device observer", [&]() -> OFCondition {
        return report->tid1500.getObservationContext().addDeviceObserver(
            text(deviceUID), text(name), text(manufacturer), text(modelName));
    });
}

int cdcm_report_add_procedure(cdcm_report *report, const cdcm_code *procedure, char *err, size_t errlen) {
    return step(err, errlen, "procedure reported", [&]() -> OFCondition {
        return report->tid1500.addProcedureReported(
            CID100_QuantitativeDiagnosticImagingProcedures(coded(procedure, "procedure reported")));
    });
}

int cdcm_report_add_group(cdcm_report *report, const char *trackingID, const char *trackingUID,
                          const cdcm_code *finding, const cdcm_code *findingSite, char *err, size_t errlen) {
    return step(err, errlen, "measurement group '" + text(trackingID) + "'", [&]() -> OFCondition {
        const DSRCodedEntryValue findingCode = coded(finding, "finding");
        OFCondition c = EC_Normal;
        // createNewMeasurementReport made the first (empty) TID 1501 instance; later groups get a new one.
        if (report->groups > 0) c = report->tid1500.addIndividualMeasurements(OFFalse /*checkEmpty*/);
        CMR_TID1501_in_TID1500 &group = report->tid1500.getIndividualMeasurements();
        if (c.good()) c = group.setTrackingIdentifier(text(trackingID));
        if (c.good()) c = group.setTrackingUniqueIdentifier(text(trackingUID));
        if (c.good()) c = group.setFinding(findingCode);
        if (c.good() && findingSite != nullptr) c = group.addFindingSite(coded(findingSite, "finding site"));
        if (c.good()) report->groups += 1;
        return c;
    });
}

int cdcm_report_add_measurement(cdcm_report *report, const cdcm_code *concept, const char *value,
                                const cdcm_code *unit, const cdcm_code *derivation,
                                const char *equivalentMeaning, char *err, size_t errlen) {
    const std::string name = concept != nullptr && concept->meaning != nullptr ? concept->meaning : "";
    return step(err, errlen, "measurement \"" + name + "\" = \"" + text(value) + "\"", [&]() -> OFCondition {
        if (report->groups == 0) return makeOFCondition(OFM_dcmsr, 9001, OF_error, "no measurement group to add to");
        const DSRCodedEntryValue name = coded(concept, "measurement concept");
        const DSRCodedEntryValue unitCode = coded(unit, "measurement unit");
        CMR_TID1501_in_TID1500 &group = report->tid1500.getIndividualMeasurements();
        const CMR_TID1501_in_TID1500::MeasurementValue numeric(text(value), unitCode);
        OFCondition c = group.addMeasurement(name, numeric);
        CMR_TID300_in_TID1501_in_TID1500 &measurement = group.getMeasurement();
        if (c.good() && derivation != nullptr) c = measurement.setDerivation(coded(derivation, "derivation"));
        if (c.good() && equivalentMeaning != nullptr && *equivalentMeaning != '\0') {
            c = measurement.setEquivalentMeaningOfConceptName(equivalentMeaning);
        }
        return c;
    });
}

int cdcm_report_add_qualitative(cdcm_report *report, const cdcm_code *concept, const cdcm_code *value,
                                char *err, size_t errlen) {
    return step(err, errlen, "qualitative evaluation", [&]() -> OFCondition {
        if (report->groups == 0) return makeOFCondition(OFM_dcmsr, 9001, OF_error, "no measurement group to add to");
        return report->tid1500.getIndividualMeasurements().addQualitativeEvaluation(
            coded(concept, "qualitative concept"), coded(value, "qualitative value"));
    });
}

int cdcm_report_add_evidence(cdcm_report *report, const char *studyUID, const char *seriesUID,
                             const char *sopClassUID, const char *sopInstanceUID, char *err, size_t errlen) {
    return step(err, errlen, "source image", [&]() -> OFCondition {
        // TID 1601 Image Library Entry: an IMAGE reference built from the two UIDs alone.
        DcmItem image;
        OFCondition c = image.putAndInsertString(DCM_SOPClassUID, sopClassUID);
        if (c.good()) c = image.putAndInsertString(DCM_SOPInstanceUID, sopInstanceUID);
        if (c.good()) c = report->tid1500.getImageLibrary().addImageEntry(image, TID1600_ImageLibrary::withoutDescriptors);
        if (c == CMR_EC_NoImageLibraryEntryDescriptorsToBeAdded) c = EC_Normal;  // expected without descriptors
        if (c.good()) report->evidence.push_back({text(studyUID), text(seriesUID), text(sopClassUID), text(sopInstanceUID)});
        return c;
    });
}

int cdcm_report_add_coding_scheme(cdcm_report *report, const char *designator, const char *name,
                                  const char *responsibleOrganization, char *err, size_t errlen) {
    return step(err, errlen, "coding scheme", [&]() -> OFCondition {
        report->schemes.push_back({text(designator), text(name), text(responsibleOrganization)});
        return EC_Normal;
    });
}

int cdcm_report_put_string(cdcm_report *report, uint32_t tag, const char *value, char *err, size_t errlen) {
    return step(err, errlen, "attribute", [&]() -> OFCondition {
        report->attributes.emplace_back(tag, text(value));
        return EC_Normal;
    });
}

int cdcm_report_save(cdcm_report *report, const char *path, char *err, size_t errlen) {
    return step(err, errlen, "save measurement report", [&]() -> OFCondition {
        if (!report->tid1500.isValid()) {
            return makeOFCondition(OFM_dcmsr, 9002, OF_error,
                                   "the report is not a valid TID 1500 document (observer, procedure and at "
                                   "least one measurement group with a measurement are required)");
        }
        DSRDocument document;
        OFCondition c = document.setTreeFromRootTemplate(report->tid1500, OFTrue /*expandTree*/);
        // Written by a device in one go: COMPLETE (no further content expected), UNVERIFIED.
        if (c.good()) c = document.completeDocument();
        for (const Evidence &e : report->evidence) {
            if (c.good()) c = document.getCurrentRequestedProcedureEvidence().addItem(e.study, e.series, e.sopClass, e.sopInstance);
        }
        for (const CodingScheme &s : report->schemes) {
            if (c.good()) c = document.getCodingSchemeIdentification().addItem(s.designator, "", s.name, s.organization);
        }
        if (c.bad()) return c;
        DcmFileFormat format;
        DcmDataset *dataset = format.getDataset();
        c = document.write(*dataset);
        if (c.bad()) return c;
        for (const auto &attribute : report->attributes) {
            c = dataset->putAndInsertString(DcmTag(cdcm::tagKey(attribute.first)), attribute.second.c_str());
            if (c.bad()) {
                char t[16];
                std::snprintf(t, sizeof t, "(%04X,%04X)", attribute.first >> 16, attribute.first & 0xFFFF);
                return makeOFCondition(OFM_dcmsr, 9003, OF_error, (std::string("cannot put ") + t + ": " + c.text()).c_str());
            }
        }
        c = format.saveFile(path, EXS_LittleEndianExplicit, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0, EWM_updateMeta);
        if (c.bad()) return makeOFCondition(OFM_dcmsr, 9004, OF_error, (std::string("cannot write ") + path + ": " + c.text()).c_str());
        return EC_Normal;
    });
}
