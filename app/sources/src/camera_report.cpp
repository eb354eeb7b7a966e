#include "framebridge/app/sources/camera_report.hpp"

#ifdef FRAMEBRIDGE_HAVE_OPENCV
#include "framebridge/app/sources/camera_list.hpp"
#endif

#include <cstdio>

namespace framebridge::app {

int print_cameras([[maybe_unused]] const std::string& program) {
#ifdef FRAMEBRIDGE_HAVE_OPENCV
    constexpr int CAMERAS_TO_TRY = 10;
    for (const std::string& line : describe_cameras(list_cameras(CAMERAS_TO_TRY), CAMERAS_TO_TRY)) {
        std::puts(line.c_str());
    }
    return 0;
#else
    std::fprintf(stderr, "%s: this build has no OpenCV, so it cannot open cameras\n",
                 program.c_str());
    return 2;
#endif
}

}  // namespace framebridge::app
