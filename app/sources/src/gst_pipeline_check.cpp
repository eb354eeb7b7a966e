#include "framebridge/app/sources/gst_pipeline_check.hpp"

#include <gst/gst.h>

namespace framebridge::app {

std::string gst_pipeline_problem(const std::string& pipeline) {
    GError* error = nullptr;
    if (gst_init_check(nullptr, nullptr, &error) == FALSE) {
        std::string problem = "GStreamer does not start: ";
        problem += error != nullptr ? error->message : "no reason given";
        g_clear_error(&error);
        return problem;
    }
    // Elements made by parsing stay in the NULL state, so dropping them is quiet.
    GstElement* parsed =
        gst_parse_launch_full(pipeline.c_str(), nullptr, GST_PARSE_FLAG_FATAL_ERRORS, &error);
    if (parsed != nullptr) {
        gst_object_unref(parsed);
    }
    if (error == nullptr) {
        return {};
    }
    std::string problem = error->message;
    if (g_error_matches(error, GST_PARSE_ERROR, GST_PARSE_ERROR_NO_SUCH_ELEMENT) != FALSE) {
        problem += " (not installed: gst-inspect-1.0 lists the elements there are)";
    }
    g_clear_error(&error);
    return problem;
}

}  // namespace framebridge::app
