#pragma once

#include <QColor>
#include <QString>
#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace framebridge::ui {

class ScriptRunner;

/// @brief One script run's tab: how it stands (running, how it ended) over what it printed,
/// stderr in red, the exit status last.
class ScriptLog : public QWidget {
    Q_OBJECT

public:
    /// @brief Follows `runner`, which must outlive this widget, from its started() on.
    explicit ScriptLog(ScriptRunner& runner, QWidget* parent = nullptr);

    ScriptRunner& runner() const noexcept { return runner_; }
    QString text() const;
    QString status() const;

Q_SIGNALS:
    /// @brief The script started or ended.
    void state_changed();

private:
    void append(const QString& text, const QColor& colour = {});

    ScriptRunner& runner_;
    QLabel* status_;
    QPlainTextEdit* log_;
    // Whether the view shows the last line and should go on doing so, through new lines and
    // resizes alike, until the user scrolls away from the end.
    bool follow_ = true;
};

}  // namespace framebridge::ui
