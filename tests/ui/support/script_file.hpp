#pragma once

#include <QFile>
#include <QString>
#include <QTemporaryDir>

namespace framebridge::ui::test {

/// @brief Writes `code` to `name` in `dir`; returns the file's path.
inline QString write_script(const QTemporaryDir& dir, const QString& name, const QString& code) {
    const QString path = dir.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        file.write(code.toUtf8());
    }
    return path;
}

}  // namespace framebridge::ui::test
