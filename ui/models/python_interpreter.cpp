#include "models/python_interpreter.hpp"

#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

namespace framebridge::ui {

namespace {

// A cold `import numpy` on a slow disk takes a second or two.
constexpr int PROBE_TIMEOUT_MS = 10000;

}  // namespace

QStringList python_candidates() {
    QStringList candidates;
    if (QFileInfo(QStringLiteral("/usr/bin/python3")).isExecutable()) {
        candidates.append(QStringLiteral("/usr/bin/python3"));
    }
    const QString on_path = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (!on_path.isEmpty() && !candidates.contains(on_path)) {
        candidates.append(on_path);
    }
    return candidates;
}

bool can_import_numpy(const QString& python) {
    QProcess probe;
    probe.setStandardOutputFile(QProcess::nullDevice());
    probe.setStandardErrorFile(QProcess::nullDevice());  // a missing numpy's traceback
    probe.start(python, {QStringLiteral("-c"), QStringLiteral("import numpy")});
    if (!probe.waitForFinished(PROBE_TIMEOUT_MS)) {
        probe.kill();
        probe.waitForFinished();
        return false;
    }
    return probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0;
}

QString first_python_with_numpy(const QStringList& candidates) {
    for (const QString& python : candidates) {
        if (can_import_numpy(python)) {
            return python;
        }
    }
    return candidates.isEmpty() ? QStringLiteral("python3") : candidates.first();
}

QString default_python() {
    return first_python_with_numpy(python_candidates());
}

}  // namespace framebridge::ui
