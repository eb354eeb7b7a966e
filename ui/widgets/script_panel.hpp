#pragma once

#include "models/app_settings.hpp"

#include <QWidget>
#include <cstdint>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace framebridge::ui {

class PythonField;
class ScriptRunner;

/// @brief Runs a Python script against the capture: the SDK's examples first, any .py file
/// after; the interpreter; Run, Stop, and what the script prints.
class ScriptPanel : public QWidget {
    Q_OBJECT

public:
    ScriptPanel(ScriptRunner& runner, const QStringList& examples, QWidget* parent = nullptr);

    /// @brief The port scripts connect to; none while there is no capture to connect to.
    void set_port(std::optional<std::uint16_t> port);
    ScriptChoice choice() const;
    void set_choice(const ScriptChoice& choice);
    QString log_text() const;
    /// @brief Runs the chosen script, as the Run button does (not without a port).
    void run();

private:
    void add_script(const QString& path);
    void browse();
    void append(const QString& text);
    void update_buttons();

    ScriptRunner& runner_;
    QComboBox* script_;
    QLineEdit* arguments_;
    PythonField* python_;
    QPushButton* run_;
    QPushButton* stop_;
    QLabel* status_;
    QPlainTextEdit* log_;
    std::optional<std::uint16_t> port_;
};

}  // namespace framebridge::ui
