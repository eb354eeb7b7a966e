#include "controllers/script_runner.hpp"

#include "controllers/inherited_descriptors.hpp"
#include "models/script_catalog.hpp"

#include <spdlog/spdlog.h>
#include <QFileInfo>
#include <QProcessEnvironment>

namespace framebridge::ui {

ScriptRunner::ScriptRunner(QString sdk_dir, QObject* parent)
    : QObject(parent), sdk_dir_(std::move(sdk_dir)) {
    process_.setProcessChannelMode(QProcess::SeparateChannels);
    process_.setChildProcessModifier(pass_only_standard_streams);
    kill_timer_.setSingleShot(true);
    connect(&kill_timer_, &QTimer::timeout, &process_, &QProcess::kill);
    connect(&process_, &QProcess::readyReadStandardOutput, this,
            [this] { Q_EMIT output(QString::fromUtf8(process_.readAllStandardOutput())); });
    connect(&process_, &QProcess::readyReadStandardError, this,
            [this] { Q_EMIT error_output(QString::fromUtf8(process_.readAllStandardError())); });
    connect(&process_, &QProcess::finished, this, &ScriptRunner::on_finished);
    connect(&process_, &QProcess::errorOccurred, this, &ScriptRunner::on_error);
}

ScriptRunner::~ScriptRunner() {
    blockSignals(true);  // whoever listens may be half destroyed by now
    stop_and_wait();
}

void ScriptRunner::run(const QString& python, const QString& script, const QStringList& arguments) {
    if (is_running()) {
        return;
    }
    python_ = python;
    script_name_ = QFileInfo(script).fileName();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("PYTHONPATH", python_path_with_sdk(sdk_dir_, env.value("PYTHONPATH")));
    env.insert("PYTHONUNBUFFERED", "1");  // lines show up as they are printed
    process_.setProcessEnvironment(env);
    process_.setWorkingDirectory(QFileInfo(script).absolutePath());
    stop_requested_ = false;
    failed_ = false;
    const QStringList all = QStringList{script} + arguments;
    process_.start(python_, all);
    const QString command_line = python_ + " " + all.join(' ');
    spdlog::info("script: {} (SDK: {})", command_line.toStdString(),
                 sdk_dir_.isEmpty() ? "the interpreter's own" : sdk_dir_.toStdString());
    Q_EMIT started(command_line);
}

void ScriptRunner::stop() {
    if (!is_running()) {
        return;
    }
    stop_requested_ = true;
    process_.terminate();
    kill_timer_.start(STOP_GRACE_MS);
}

void ScriptRunner::stop_and_wait() {
    if (!is_running()) {
        return;
    }
    stop();
    if (!process_.waitForFinished(STOP_GRACE_MS)) {
        process_.kill();
        process_.waitForFinished(STOP_GRACE_MS);
    }
}

bool ScriptRunner::is_running() const {
    return process_.state() != QProcess::NotRunning;
}

void ScriptRunner::on_finished(int exit_code, QProcess::ExitStatus status) {
    kill_timer_.stop();
    if (const QByteArray rest = process_.readAllStandardOutput(); !rest.isEmpty()) {
        Q_EMIT output(QString::fromUtf8(rest));
    }
    if (const QByteArray rest = process_.readAllStandardError(); !rest.isEmpty()) {
        Q_EMIT error_output(QString::fromUtf8(rest));
    }
    failed_ = !stop_requested_ && (status == QProcess::CrashExit || exit_code != 0);
    if (stop_requested_) {
        end(tr("stopped"));
    } else if (status == QProcess::CrashExit) {
        end(tr("crashed"));
    } else {
        end(tr("exited with code %1").arg(exit_code));
    }
}

void ScriptRunner::on_error(QProcess::ProcessError error) {
    if (error == QProcess::FailedToStart) {
        failed_ = true;
        end(tr("could not start %1: %2").arg(python_, process_.errorString()));
    }
}

void ScriptRunner::end(const QString& how) {
    spdlog::info("script {} {}", script_name_.toStdString(), how.toStdString());
    Q_EMIT finished(how);
}

}  // namespace framebridge::ui
