#pragma once

#include "controllers/script_runner.hpp"

#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

namespace framebridge::ui {

/// @brief The scripts the app has started: each run gets a ScriptRunner of its own, so several
/// scripts run at once and each stops on its own. A runner stays, with what it printed, until
/// remove(); all of them stop when the set goes.
class ScriptSet : public QObject {
    Q_OBJECT

public:
    /// @brief `sdk_dir` as for ScriptRunner.
    explicit ScriptSet(QString sdk_dir = {}, QObject* parent = nullptr);
    ~ScriptSet() override;
    ScriptSet(const ScriptSet&) = delete;
    ScriptSet& operator=(const ScriptSet&) = delete;

    /// @brief Starts `script` in a runner of its own, announced by added() before it starts.
    ScriptRunner& run(const QString& python, const QString& script, const QStringList& arguments);
    /// @brief Stops the runner's script if it runs, waits for it, and forgets the runner.
    void remove(ScriptRunner& runner);
    /// @brief Asks every script to stop at once, then waits until all have gone (or been killed
    /// after the grace): for Stop and for closing the window.
    void stop_all_and_wait();
    int running_count() const;
    int size() const noexcept { return static_cast<int>(runners_.size()); }

Q_SIGNALS:
    /// @brief A runner was made to run `script`; its started() comes after this.
    void added(framebridge::ui::ScriptRunner* runner, const QString& script);
    /// @brief A script started or ended.
    void running_count_changed(int running);

private:
    QString sdk_dir_;
    std::vector<std::unique_ptr<ScriptRunner>> runners_;
};

}  // namespace framebridge::ui
