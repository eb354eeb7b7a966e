#pragma once

#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QString>
#include <QTemporaryDir>

namespace framebridge::ui::test {

/// @brief The interpreter tests run scripts with: Debian's, which has numpy.
inline const QString PYTHON = "/usr/bin/python3";

/// @brief Writes `code` to `name` in `dir`; returns the file's path.
inline QString write_script(const QTemporaryDir& dir, const QString& name, const QString& code) {
    const QString path = dir.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        file.write(code.toUtf8());
    }
    return path;
}

/// @brief All the text a spy on ScriptRunner::output (or error_output) caught, in order.
inline QString joined(const QSignalSpy& spy) {
    QString all;
    for (const auto& args : spy) {
        all += args.at(0).toString();
    }
    return all;
}

/// @brief A script that prints "pid N" first, then runs until it is stopped.
inline const QString FOREVER_SCRIPT = R"(
import os, time
print("pid", os.getpid(), flush=True)
while True:
    time.sleep(0.05)
)";

/// @brief The pid that FOREVER_SCRIPT printed in `output`; 0 until it has.
inline qint64 printed_pid(const QString& output) {
    const QRegularExpressionMatch found =
        QRegularExpression(R"((?:^|\n)pid (\d+)\n)").match(output);
    return found.hasMatch() ? found.captured(1).toLongLong() : 0;
}

/// @brief Whether a process `pid` is there (Linux: its /proc entry).
inline bool process_exists(qint64 pid) {
    return QFile::exists(QString("/proc/%1").arg(pid));
}

}  // namespace framebridge::ui::test
