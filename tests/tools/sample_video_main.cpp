// framebridge-sample-video PATH FOURCC WxH FRAMES FPS: writes a sample video whose frames
// carry their index (see tests/media/sample_video.hpp), for the Python tests.

#include "media/sample_video.hpp"

#include <cstdio>
#include <exception>
#include <string>

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fputs("usage: framebridge-sample-video PATH FOURCC WIDTHxHEIGHT FRAMES FPS\n", stderr);
        return 2;
    }
    try {
        const std::string size = argv[3];
        const auto x = size.find('x');
        const cv::Size frame_size(std::stoi(size.substr(0, x)), std::stoi(size.substr(x + 1)));
        framebridge::test::write_sample_video(argv[1], argv[2], frame_size, std::stoi(argv[4]),
                                              std::stod(argv[5]));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "framebridge-sample-video: %s\n", e.what());
        return 1;
    }
    return 0;
}
