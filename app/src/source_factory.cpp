#include "framebridge/app/source_factory.hpp"

#include "framebridge/app/synthetic_source.hpp"

#include <stdexcept>

namespace framebridge::app {

std::unique_ptr<FrameSource> make_source(const std::string& spec,
                                         const shm::FrameGeometry& geometry) {
    if (spec == "synthetic") {
        return std::make_unique<SyntheticSource>(geometry);
    }
    throw std::invalid_argument("unknown source '" + spec + "'; this build knows: synthetic");
}

}  // namespace framebridge::app
