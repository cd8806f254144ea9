// Internal helpers shared by the SCP and SCU shims. Not visible to Swift.
#ifndef CTPERF_SHIM_NETWORK_HPP
#define CTPERF_SHIM_NETWORK_HPP

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmnet/assoc.h"
#include "dcmtk/dcmnet/cond.h"
#include "dcmtk/dcmnet/dimse.h"

#include <string>

namespace cdcm {

// Our own maximum receive PDU: the largest DCMTK 3.6.7 handles. Larger PDUs mean fewer read
// calls and PDV headers per image; storescp's default is 16 KiB.
constexpr long kMaxReceivePDU = ASC_MAXIMUMPDUSIZE;

// Transfer syntaxes for Verification and for uncompressed data, preferred first.
extern const char *const kUncompressedSyntaxes[];
constexpr int kUncompressedSyntaxCount = 3;

// Transfer syntaxes we accept for storage, preferred first: uncompressed, then the lossless and
// near-lossless compressions DCMTK can decode (JPEG lossless, JPEG-LS, RLE). No JPEG 2000.
extern const char *const kStorageSyntaxes[];
constexpr int kStorageSyntaxCount = 8;

// A DCMTK condition (with its sub-conditions) as one line without the numeric codes,
// e.g. "DIMSE Failed to receive message: DUL network closed".
std::string conditionText(const OFCondition &condition);

// Send an A-ABORT and close. DCMTK then waits for the peer to close the connection for the
// association's ACSE timeout; a peer that has stopped reading would hold the thread that long,
// so the wait is cut to 1 s.
void abortAssociation(T_ASC_Association *association);

// A DICOM string value without leading/trailing spaces and NULs.
std::string trimmed(const char *value);

} // namespace cdcm

#endif
