#include "framebridge/app/sources/source_factory.hpp"

#include "framebridge/app/sources/source_spec.hpp"
#include "framebridge/app/sources/synthetic_source.hpp"

#ifdef FRAMEBRIDGE_HAVE_OPENCV
#include "framebridge/app/sources/opencv_source.hpp"
#endif

#include <stdexcept>

namespace framebridge::app {

std::unique_ptr<FrameSource> make_source(const std::string& spec, const CaptureRequest& request) {
    const SourceSpec parsed = parse_source_spec(spec);
    if (parsed.kind == SourceSpec::Kind::Synthetic) {
        return std::make_unique<SyntheticSource>(request.size.value_or(SYNTHETIC_DEFAULT_GEOMETRY));
    }
#ifdef FRAMEBRIDGE_HAVE_OPENCV
    return std::make_unique<OpenCvSource>(parsed, request);
#else
    throw std::invalid_argument("source '" + spec +
                                "' needs OpenCV, and this build has none: only synthetic");
#endif
}

bool can_open_video_sources() noexcept {
#ifdef FRAMEBRIDGE_HAVE_OPENCV
    return true;
#else
    return false;
#endif
}

}  // namespace framebridge::app
