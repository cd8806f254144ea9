// DICOM over TLS for the SCP and the SCU: building DCMTK's TLS transport layer from
// cdcm_tls_settings, and recognising failed handshakes. Not visible to Swift.
#ifndef CTPERF_SHIM_TLS_HPP
#define CTPERF_SHIM_TLS_HPP

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmnet/assoc.h"
#include "dcmtk/dcmnet/dcmlayer.h"

#include "cdcmtk.h"

#include <memory>
#include <string>

namespace cdcm {

// A TLS transport layer for `role` (NET_ACCEPTOR for the SCP, NET_REQUESTOR for the SCU) with our
// certificate and key, the trusted CAs (peer certificates required when there is at least one,
// not verified otherwise) and the BCP 195 non-downgrading profile. nullptr with a message a
// system administrator can act on (which file, what is wrong with it) when it cannot be built.
std::unique_ptr<DcmTransportLayer> makeTLSLayer(T_ASC_NetworkRole role, const cdcm_tls_settings &tls, std::string &error);

// Hand the layer to the network (which deletes it when dropped). Empty on success, else why not.
std::string installTLSLayer(T_ASC_Network *network, std::unique_ptr<DcmTransportLayer> layer);

// Whether a condition from requesting or receiving an association is a failed TLS handshake.
bool isTLSFailure(const OFCondition &condition);

} // namespace cdcm

#endif
