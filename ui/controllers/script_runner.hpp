#pragma once

#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTimer>

namespace framebridge::ui {

/// @brief Runs one Python script at a time with the SDK on its path, and passes on what it
/// prints, stdout and stderr apart (so the log can colour errors), as they come. It logs each
/// start and end, naming the interpreter and the SDK folder, for the user who wonders which ones
/// a script got.
class ScriptRunner : public QObject {
    Q_OBJECT

public:
    static constexpr int STOP_GRACE_MS = 3000;  ///< after SIGTERM, before SIGKILL

    /// @brief `sdk_dir` goes first on the scripts' PYTHONPATH (SdkLocation::python_path); empty
    /// leaves their path as it is.
    explicit ScriptRunner(QString sdk_dir = {}, QObject* parent = nullptr);
    ~ScriptRunner() override;
    ScriptRunner(const ScriptRunner&) = delete;
    ScriptRunner& operator=(const ScriptRunner&) = delete;

    /// @brief Starts `script` with `arguments` under the interpreter `python` unless one runs
    /// already.
    void run(const QString& python, const QString& script, const QStringList& arguments);
    /// @brief Asks the script to stop (SIGTERM), and kills it if it has not within the grace.
    void stop();
    /// @brief Stops the script and waits until it has gone: for closing the window.
    void stop_and_wait();
    bool is_running() const;
    /// @brief The last run ended by itself with a non-zero code, crashed, or did not start
    /// (a stop asked for is no failure).
    bool failed() const noexcept { return failed_; }

Q_SIGNALS:
    void started(const QString& command_line);
    void output(const QString& text);
    void error_output(const QString& text);
    /// @brief The script ended; `how` says how, for a person ("exited with code 0", ...).
    void finished(const QString& how);

private:
    void on_finished(int exit_code, QProcess::ExitStatus status);
    void on_error(QProcess::ProcessError error);
    void end(const QString& how);

    QString sdk_dir_;
    // Of the script that runs, or ran last: for the messages about it.
    QString python_;
    QString script_name_;
    QProcess process_;
    QTimer kill_timer_;
    bool stop_requested_ = false;
    bool failed_ = false;
};

}  // namespace framebridge::ui
