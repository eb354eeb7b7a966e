#include "models/recent_scripts.hpp"

#include <QDir>
#include <QFileInfo>
#include <QObject>

namespace framebridge::ui {

QStringList remember_script(QStringList recent, const QString& path, int kept) {
    const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    recent.removeAll(clean);
    recent.prepend(clean);
    while (recent.size() > kept) {
        recent.removeLast();
    }
    return recent;
}

QList<RecentScriptEntry> recent_script_entries(const QStringList& recent) {
    QList<RecentScriptEntry> entries;
    for (const QString& path : recent) {
        RecentScriptEntry entry;
        entry.path = path;
        entry.exists = QFileInfo::exists(path);
        // Past 9 there is no digit to press; the name alone still shows.
        const int number = static_cast<int>(entries.size()) + 1;
        QString name = QFileInfo(path).fileName();
        name.replace('&', "&&");  // a menu would take it for a shortcut's letter
        entry.text = number <= 9 ? QString("&%1 %2").arg(number).arg(name) : name;
        if (!entry.exists) {
            entry.text += QObject::tr(" (missing)");
        }
        entries.append(entry);
    }
    return entries;
}

}  // namespace framebridge::ui
