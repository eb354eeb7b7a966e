#include "controllers/inherited_descriptors.hpp"

#ifndef _WIN32
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace framebridge::ui {

void pass_only_standard_streams() noexcept {
#ifndef _WIN32
    constexpr unsigned FIRST = 3;
    if (::close_range(FIRST, ~0U, CLOSE_RANGE_CLOEXEC) == 0) {
        return;
    }
    // Kernels before 5.11 have no CLOSE_RANGE_CLOEXEC: every descriptor the limit allows.
    rlimit limit{};
    const rlim_t last = ::getrlimit(RLIMIT_NOFILE, &limit) == 0 ? limit.rlim_cur : 1024;
    for (rlim_t fd = FIRST; fd < last; ++fd) {
        const int flags = ::fcntl(static_cast<int>(fd), F_GETFD);
        if (flags >= 0) {
            ::fcntl(static_cast<int>(fd), F_SETFD, flags | FD_CLOEXEC);
        }
    }
#endif
}

}  // namespace framebridge::ui
