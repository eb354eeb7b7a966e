#include "gst_noise_to_log.hpp"

#include <glib.h>
#include <spdlog/spdlog.h>

namespace framebridge::app {

namespace {

constexpr const char* GST_DOMAIN = "GStreamer";

void to_debug_log(const gchar* domain, GLogLevelFlags, const gchar* message, gpointer) {
    spdlog::debug("{}: {}", domain != nullptr ? domain : "GLib", message);
}

}  // namespace

GstNoiseToLog::GstNoiseToLog()
    : handler_(
          g_log_set_handler(GST_DOMAIN,
                            static_cast<GLogLevelFlags>(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING |
                                                        G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION),
                            &to_debug_log, nullptr)) {}

GstNoiseToLog::~GstNoiseToLog() {
    g_log_remove_handler(GST_DOMAIN, handler_);
}

}  // namespace framebridge::app
