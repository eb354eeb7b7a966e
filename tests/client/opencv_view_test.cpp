// framebridge::as_mat: a cv::Mat over a held frame, where OpenCV is.

#include "framebridge/client/client.hpp"
#include "framebridge/client/opencv.hpp"

#include "support/hand_server.hpp"

#include <gtest/gtest.h>

using namespace framebridge;
using namespace std::chrono_literals;

TEST(ClientOpenCv, aMatViewsTheFramesPixelsInPlaceWithItsStride) {
    test::HandServer server;
    server.publish(5);
    ConnectOptions options;
    options.port = server.server.port();
    Client client(options);
    const Frame frame = client.latest(5s);

    const cv::Mat sut = as_mat(frame);

    EXPECT_EQ(sut.cols, 64);
    EXPECT_EQ(sut.rows, 16);
    EXPECT_EQ(sut.type(), CV_8UC3);
    EXPECT_EQ(sut.step[0], frame.stride());
    EXPECT_EQ(sut.data, frame.data());
    EXPECT_EQ(sut.at<cv::Vec3b>(0, 0)[0], 5);    // the stamp's low byte
    EXPECT_EQ(sut.at<cv::Vec3b>(15, 61)[1], 5);  // the last stamp starts at byte 184 = 61 * 3 + 1
}
