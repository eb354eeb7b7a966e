// framebridge-switch-probe --port P --name NAME: a synthetic 320x240 pipeline whose size a
// test changes while clients are connected, by writing WIDTHxHEIGHT lines to its stdin.
// Answers each line with "switched WxH" or "error: why"; stops at the end of stdin.

#include "framebridge/app/cli/server_options.hpp"
#include "framebridge/app/pipeline/pipeline.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <cstdio>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fputs("usage: framebridge-switch-probe --port P --name NAME\n", stderr);
        return 2;
    }
    // Stdout is the conversation with the test; the log goes elsewhere.
    spdlog::set_default_logger(spdlog::stderr_color_mt("probe"));
    framebridge::app::PipelineConfig config;
    config.port = static_cast<std::uint16_t>(std::stoi(argv[2]));
    config.name = argv[4];
    config.geometry =
        framebridge::shm::FrameGeometry{320, 240, framebridge::shm::PixelFormat::Bgr8};
    framebridge::app::Pipeline pipeline(config);
    std::cout << "serving on port " << pipeline.port() << std::endl;
    for (std::string line; std::getline(std::cin, line);) {
        try {
            config.geometry = framebridge::app::parse_size(line);
            pipeline.switch_source(config);
            std::cout << "switched " << line << std::endl;
        } catch (const std::exception& e) {
            std::cout << "error: " << e.what() << std::endl;
        }
    }
    pipeline.stop();
    return 0;
}
