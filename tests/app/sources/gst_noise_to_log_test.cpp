#include "gst_noise_to_log.hpp"

#include <glib.h>
#include <gtest/gtest.h>

#include <string>

using framebridge::app::GstNoiseToLog;

namespace {

std::string stderr_of_a_gstreamer_critical() {
    testing::internal::CaptureStderr();
    g_log("GStreamer", G_LOG_LEVEL_CRITICAL, "Trying to dispose element pipeline0");
    return testing::internal::GetCapturedStderr();
}

}  // namespace

TEST(GstNoiseToLog, keepsGStreamersCriticalsOffStderrWhileItLivesAndOnlyThen) {
    {
        const GstNoiseToLog sut;
        EXPECT_EQ(stderr_of_a_gstreamer_critical(), "");
    }
    EXPECT_NE(stderr_of_a_gstreamer_critical().find("pipeline0"), std::string::npos);
}
