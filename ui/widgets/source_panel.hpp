#pragma once

#include "controllers/capture_controller.hpp"
#include "models/capture_form.hpp"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace framebridge::ui {

/// @brief Where frames come from and how: the source picker, size, fps, the stream's port and
/// name, Start, Apply (another source while capturing) and Stop, the last error, worded for a
/// person, a note, and Play again once a file has ended.
class SourcePanel : public QWidget {
    Q_OBJECT

public:
    explicit SourcePanel(QWidget* parent = nullptr);

    CaptureForm form() const;
    void set_form(const CaptureForm& form);
    /// @brief Enables what may change in `state`: the source's fields while stopped or running,
    /// the stream's (port, name, slots) only while stopped.
    void set_state(CaptureController::State state);
    /// @brief Shows `note` (something to know, not an error) under the buttons; empty hides it.
    void show_note(const QString& note);
    QString note() const;
    /// @brief Shows or hides the line that says the file ended, with Play again.
    void show_ended(bool ended);
    /// @brief Shows `message` under the buttons; an empty one hides it.
    void show_error(const QString& message);
    QString error() const;

Q_SIGNALS:
    void start_requested();
    void apply_requested();
    void stop_requested();
    void play_again_requested();

private:
    QWidget* make_source_details();
    void choose_file();
    void find_cameras();
    void on_kind_changed();

    QComboBox* kind_;
    QStackedWidget* details_;
    QSpinBox* camera_;
    QLabel* cameras_found_;
    QPushButton* find_cameras_;
    QLineEdit* file_;
    QLineEdit* url_;
    QLineEdit* pipeline_;
    QComboBox* size_;
    QComboBox* fps_;
    QLineEdit* fourcc_;
    QCheckBox* loop_;
    QSpinBox* port_;
    QLineEdit* name_;
    QSpinBox* slots_;
    QSpinBox* rtsp_port_;
    QPushButton* start_;
    QPushButton* apply_;
    QPushButton* stop_;
    QLabel* error_;
    QLabel* note_;
    QWidget* ended_;
    bool cameras_searched_ = false;
};

}  // namespace framebridge::ui
