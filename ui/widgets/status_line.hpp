#pragma once

#include "controllers/capture_controller.hpp"

#include <QWidget>
#include <cstdint>

class QLabel;
class QLineEdit;

namespace framebridge::ui {

/// @brief The Python line that connects to a capture on `port`: "fb.connect(port=7600)".
QString connect_line(std::uint16_t port);

/// @brief The status bar's contents: what runs, the segment, the port, and the connect line
/// to copy into a script.
class StatusLine : public QWidget {
    Q_OBJECT

public:
    explicit StatusLine(QWidget* parent = nullptr);

    void show_running(const CaptureInfo& info);
    void show_state(const QString& state);
    /// @brief Replaces only the words on what runs ("The file ended: …"), keeping the rest.
    void show_stream_state(const QString& text);
    QString state_text() const;
    QString connect_text() const;

private:
    QLabel* state_;
    QLabel* segment_;
    QLabel* port_;
    QLineEdit* connect_;
};

}  // namespace framebridge::ui
