// Runs the test class named by the first argument (all of them without one); the other
// arguments go to QTest, e.g. `ui_tests ClientsModelTest -v2`.

#include "support/ui_test.hpp"

#include <QApplication>
#include <QTest>
#include <cstdio>
#include <vector>

namespace framebridge::ui::test {

std::map<std::string, TestFactory>& registry() {
    static std::map<std::string, TestFactory> tests;
    return tests;
}

}  // namespace framebridge::ui::test

int main(int argc, char** argv) {
    // Widget tests need no display unless one is asked for (the screenshot test asks for xcb).
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    auto& tests = framebridge::ui::test::registry();
    std::vector<char*> qtest_args{argv[0]};
    std::string only;
    if (argc > 1 && argv[1][0] != '-') {
        only = argv[1];
        if (tests.count(only) == 0) {
            std::fprintf(stderr, "no ui test class named %s\n", argv[1]);
            return 2;
        }
    }
    for (int i = only.empty() ? 1 : 2; i < argc; ++i) {
        qtest_args.push_back(argv[i]);
    }
    int failed = 0;
    for (const auto& [name, make] : tests) {
        if (only.empty() || name == only) {
            const std::unique_ptr<QObject> test = make();
            failed +=
                QTest::qExec(test.get(), static_cast<int>(qtest_args.size()), qtest_args.data());
        }
    }
    return failed == 0 ? 0 : 1;
}
