#pragma once

#include <QString>
#include <QStringList>

namespace framebridge::ui {

/// @brief The interpreters worth trying for scripts, in order: Debian's /usr/bin/python3, then
/// the python3 first on PATH (when it is another one).
QStringList python_candidates();

/// @brief Whether `python` starts and imports numpy, which the SDK needs.
bool can_import_numpy(const QString& python);

/// @brief The first of `candidates` that can import numpy; the first of them when none can
/// (running a script then shows why), "python3" when there are none.
QString first_python_with_numpy(const QStringList& candidates);

/// @brief The interpreter scripts run with until the user picks another.
QString default_python();

}  // namespace framebridge::ui
