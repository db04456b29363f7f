#pragma once

// For GUI tests: the main window connected to the test cluster's demo (tests/support/testcluster.h).

#include "mainwindow.h"
#include "testcluster.h"

#include <QSignalSpy>

#include <memory>

namespace plansight::test {

// A 1400x900 window on the test cluster's demo, recording into `historyPath`, timing with `executor` (empty: on the
// server), shown and connected; nullptr when it did not connect within two minutes.
inline std::unique_ptr<gui::MainWindow> windowOnTestDemo(
    const QString &historyPath, std::shared_ptr<RunExecutor> executor = {})
{
    gui::MainWindowOptions options;
    options.demoRoot = TestCluster::get()->cluster().rootDir();
    options.historyPath = historyPath;
    options.restoreSettings = false;
    options.connectAtStart = false;
    options.executor = std::move(executor);
    auto w = std::make_unique<gui::MainWindow>(options);
    w->resize(1400, 900);
    w->show();
    QSignalSpy ready(w.get(), &gui::MainWindow::serverReady);
    w->connectToDemo();
    if (!ready.wait(120000))
        return nullptr;
    return w;
}

} // namespace plansight::test
