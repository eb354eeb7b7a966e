#include "media/sample_video.hpp"

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <stdexcept>

namespace framebridge::test {
namespace {

cv::Rect block(int bit) {
    return {bit * COUNTER_BLOCK_PX, 0, COUNTER_BLOCK_PX, COUNTER_BLOCK_PX};
}

}  // namespace

cv::Mat sample_frame(cv::Size size, int index) {
    cv::Mat frame(size, CV_8UC3);
    for (int y = 0; y < size.height; ++y) {
        auto* row = frame.ptr<cv::Vec3b>(y);
        for (int x = 0; x < size.width; ++x) {
            row[x] = cv::Vec3b(static_cast<uchar>((x + index * 4) & 0xff),
                               static_cast<uchar>((y * 2) & 0xff), static_cast<uchar>(128));
        }
    }
    for (int bit = 0; bit < COUNTER_BITS; ++bit) {
        const cv::Scalar colour = ((index >> bit) & 1) ? cv::Scalar::all(255) : cv::Scalar::all(0);
        cv::rectangle(frame, block(bit), colour, cv::FILLED);
    }
    cv::putText(frame, std::to_string(index), {8, size.height - 12}, cv::FONT_HERSHEY_SIMPLEX, 1.0,
                cv::Scalar::all(255), 2);
    return frame;
}

int read_counter(const cv::Mat& bgr) {
    if (bgr.cols < COUNTER_BITS * COUNTER_BLOCK_PX || bgr.rows < COUNTER_BLOCK_PX) {
        return -1;
    }
    int index = 0;
    for (int bit = 0; bit < COUNTER_BITS; ++bit) {
        // The centre of the block: codecs smear its edges.
        const cv::Rect inner = block(bit) - cv::Point(-4, -4) - cv::Size(8, 8);
        const double level = cv::mean(bgr(inner))[1];
        if (level > 96 && level < 160) {
            return -1;
        }
        index |= (level >= 160 ? 1 : 0) << bit;
    }
    return index;
}

void write_sample_video(const std::string& path, const std::string& fourcc, cv::Size size,
                        int frames, double fps) {
    cv::VideoWriter writer(path, cv::CAP_FFMPEG,
                           cv::VideoWriter::fourcc(fourcc[0], fourcc[1], fourcc[2], fourcc[3]), fps,
                           size);
    if (!writer.isOpened()) {
        throw std::runtime_error("cannot write " + fourcc + " video to " + path);
    }
    for (int i = 0; i < frames; ++i) {
        writer.write(sample_frame(size, i));
    }
}

}  // namespace framebridge::test
