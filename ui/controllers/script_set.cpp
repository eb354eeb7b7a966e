#include "controllers/script_set.hpp"

#include <algorithm>

namespace framebridge::ui {

ScriptSet::ScriptSet(QString sdk_dir, QObject* parent)
    : QObject(parent), sdk_dir_(std::move(sdk_dir)) {}

ScriptSet::~ScriptSet() {
    blockSignals(true);  // whoever listens may be half destroyed by now
    stop_all_and_wait();
}

ScriptRunner& ScriptSet::run(const QString& python, const QString& script,
                             const QStringList& arguments) {
    runners_.push_back(std::make_unique<ScriptRunner>(sdk_dir_));
    ScriptRunner& runner = *runners_.back();
    const auto count_changed = [this] { Q_EMIT running_count_changed(running_count()); };
    connect(&runner, &ScriptRunner::started, this, count_changed);
    connect(&runner, &ScriptRunner::finished, this, count_changed);
    Q_EMIT added(&runner, script);
    runner.run(python, script, arguments);
    return runner;
}

void ScriptSet::remove(ScriptRunner& runner) {
    const auto found = std::find_if(runners_.begin(), runners_.end(),
                                    [&runner](const auto& each) { return each.get() == &runner; });
    if (found == runners_.end()) {
        return;
    }
    runner.stop_and_wait();
    runners_.erase(found);
}

void ScriptSet::stop_all_and_wait() {
    // All are asked first, so their graces run side by side rather than one after another.
    for (const auto& runner : runners_) {
        runner->stop();
    }
    for (const auto& runner : runners_) {
        runner->stop_and_wait();
    }
}

int ScriptSet::running_count() const {
    return static_cast<int>(std::count_if(runners_.begin(), runners_.end(),
                                          [](const auto& each) { return each->is_running(); }));
}

}  // namespace framebridge::ui
