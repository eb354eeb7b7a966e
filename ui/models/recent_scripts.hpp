#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace framebridge::ui {

/// @brief How many recently run scripts the app remembers.
constexpr int RECENT_SCRIPTS_KEPT = 8;

/// @brief `recent` (most recent first) with `path` moved or put first, no path twice, at most
/// `kept` long.
QStringList remember_script(QStringList recent, const QString& path,
                            int kept = RECENT_SCRIPTS_KEPT);

/// @brief One line of the Recent scripts menu.
struct RecentScriptEntry {
    QString text;  ///< "&1 name.py", with " (missing)" when the file is gone
    QString path;
    bool exists = false;  ///< a missing file is shown, disabled: its drive may come back
};

/// @brief The menu's lines for `recent`, in its order, numbered from 1 for the keyboard.
QList<RecentScriptEntry> recent_script_entries(const QStringList& recent);

}  // namespace framebridge::ui
