#pragma once

#include "models/app_settings.hpp"

#include <QHash>
#include <QStringList>
#include <QWidget>
#include <cstdint>
#include <optional>

class QComboBox;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTabWidget;

namespace framebridge::ui {

class PythonField;
class ScriptLog;
class ScriptRunner;
class ScriptSet;

/// @brief Runs Python scripts against a server, the app's capture or any other on this
/// machine: the SDK's examples first, then the scripts run lately, any .py file after; the port
/// ({port} in the arguments), the interpreter; Run, and a tab for each run with what it printed,
/// whose Stop ends that script alone.
class ScriptPanel : public QWidget {
    Q_OBJECT

public:
    ScriptPanel(ScriptSet& scripts, const QStringList& examples, QWidget* parent = nullptr);

    /// @brief A capture started on `port`: scripts connect to it from now on. None: the capture
    /// stopped; the port stays, for a server started elsewhere.
    void set_port(std::optional<std::uint16_t> port);
    std::uint16_t port() const;
    ScriptChoice choice() const;
    void set_choice(const ScriptChoice& choice);
    /// @brief The scripts run lately, most recent first; those still there join the choices.
    void set_recent(const QStringList& recent);
    const QStringList& recent() const noexcept { return recent_; }
    /// @brief Runs the chosen script in a new tab, as the Run button does.
    void run();
    /// @brief Chooses `path` and runs it, as the Recent scripts menu does.
    void run_script(const QString& path);
    /// @brief The tab shown, or null before the first run.
    ScriptLog* current_log() const;
    int log_count() const;
    /// @brief What the shown tab's script printed; empty before the first run.
    QString log_text() const;

Q_SIGNALS:
    void recent_changed(const QStringList& recent);

private:
    void add_script(const QString& path);
    void browse();
    void add_log(ScriptRunner* runner, const QString& script);
    void close_log(int index);
    void update_buttons();

    ScriptSet& scripts_;
    QStringList recent_;
    QHash<QString, int> runs_by_name_;  // to tell the tabs of one script apart
    QComboBox* script_;
    QLineEdit* arguments_;
    QSpinBox* port_;
    PythonField* python_;
    QPushButton* run_;
    QPushButton* stop_;
    QStackedWidget* logs_;  // a hint until the first run, the tabs after
    QTabWidget* tabs_;
};

}  // namespace framebridge::ui
