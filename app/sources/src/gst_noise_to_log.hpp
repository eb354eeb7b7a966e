#pragma once

namespace framebridge::app {

// While one lives, what GStreamer itself warns of (its criticals and warnings) goes to the log
// at debug level instead of stderr. OpenCV's GStreamer backend, failing to open a file that no
// demuxer reads, may drop its pipeline before it reached NULL, and GStreamer prints a CRITICAL
// about that: OpenCV's slip, not the user's, around the one line that says what is wrong.
class GstNoiseToLog {
public:
    GstNoiseToLog();
    ~GstNoiseToLog();
    GstNoiseToLog(const GstNoiseToLog&) = delete;
    GstNoiseToLog& operator=(const GstNoiseToLog&) = delete;

private:
    unsigned handler_;
};

}  // namespace framebridge::app
