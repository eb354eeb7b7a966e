// framebridge-print-frames [PORT [COUNT [STREAM]]]: prints each frame's number, size and latency,
// read from stream STREAM (the server's first) of a server on 127.0.0.1:PORT (7600), then stops
// after COUNT frames (100) or when the stream ends.

#include <framebridge/client/client.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
    framebridge::ConnectOptions options;
    options.port = static_cast<std::uint16_t>(argc > 1 ? std::stoi(argv[1]) : 7600);
    options.name = "print_frames.cpp";
    const long count = argc > 2 ? std::stol(argv[2]) : 100;
    if (argc > 3) {
        options.stream = argv[3];
    }
    try {
        framebridge::Client client(options);
        std::printf("stream %s\n", client.stream().c_str());
        long seen = 0;
        for (framebridge::Frame& frame : client) {  // always the newest frame
            const double latency_ms =
                static_cast<double>(frame.receive_ns() - frame.publish_ns()) / 1e6;
            std::printf("%llu %ux%u %s %.2f ms\n", static_cast<unsigned long long>(frame.seq()),
                        frame.width(), frame.height(), framebridge::to_string(frame.format()),
                        latency_ms);
            if (++seen == count) {
                break;
            }
        }
    } catch (const framebridge::FrameBridgeError& e) {
        std::fprintf(stderr, "print_frames: %s\n", e.what());
        return 1;
    }
    return 0;
}
