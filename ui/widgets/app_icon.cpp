#include "widgets/app_icon.hpp"

#include <QDir>

namespace framebridge::ui {

QIcon app_icon() {
    QIcon icon;
    const QDir sizes(QStringLiteral(":/icons"));
    for (const QString& name : sizes.entryList({QStringLiteral("framebridge-*.png")})) {
        icon.addFile(sizes.filePath(name));
    }
    return icon;
}

}  // namespace framebridge::ui
