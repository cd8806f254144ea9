// Internal helpers shared by the shim's .cpp files. Not visible to Swift.
#ifndef CTPERF_SHIM_COMMON_HPP
#define CTPERF_SHIM_COMMON_HPP

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dctk.h"

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

namespace cdcm {

inline void setError(char *err, size_t errlen, const std::string &message) {
    if (err == nullptr || errlen == 0) return;
    std::snprintf(err, errlen, "%s", message.c_str());
}

inline DcmTagKey tagKey(uint32_t tag) {
    return DcmTagKey(static_cast<Uint16>(tag >> 16), static_cast<Uint16>(tag & 0xFFFF));
}

// Run `body`, turning any C++ exception into CDCM_ERROR with a message.
template <typename F>
int guarded(char *err, size_t errlen, F body) {
    try {
        return body();
    } catch (const std::exception &e) {
        setError(err, errlen, std::string("internal error: ") + e.what());
    } catch (...) {
        setError(err, errlen, "internal error: unknown C++ exception");
    }
    return -1;
}

} // namespace cdcm

#endif
