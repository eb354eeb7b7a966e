#pragma once

#include "models/app_settings.hpp"

#include <QColor>
#include <QWidget>
#include <cstdint>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace framebridge::ui {

class PythonField;
class ScriptRunner;

/// @brief Runs a Python script against a server, the app's capture or any other on this
/// machine: the SDK's examples first, any .py file after; the port ({port} in the arguments), the
/// interpreter; Run, Stop, and what the script prints.
class ScriptPanel : public QWidget {
    Q_OBJECT

public:
    ScriptPanel(ScriptRunner& runner, const QStringList& examples, QWidget* parent = nullptr);

    /// @brief A capture started on `port`: scripts connect to it from now on. None: the capture
    /// stopped; the port stays, for a server started elsewhere.
    void set_port(std::optional<std::uint16_t> port);
    std::uint16_t port() const;
    ScriptChoice choice() const;
    void set_choice(const ScriptChoice& choice);
    QString log_text() const;
    /// @brief Runs the chosen script, as the Run button does.
    void run();

private:
    void add_script(const QString& path);
    void browse();
    void append(const QString& text, const QColor& colour = {});
    void update_buttons();

    ScriptRunner& runner_;
    QComboBox* script_;
    QLineEdit* arguments_;
    QSpinBox* port_;
    PythonField* python_;
    QPushButton* run_;
    QPushButton* stop_;
    QLabel* status_;
    QPlainTextEdit* log_;
};

}  // namespace framebridge::ui
