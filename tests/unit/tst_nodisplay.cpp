// `plansight` without a display (an SSH session, a container) says so and points to the command line, with
// exit code 1, instead of Qt's abort (134) and its message about platform plugins.

#include <QProcess>
#include <QTest>

namespace {

struct Run {
    int exitCode = -1;
    bool crashed = false;
    QString err;
};

Run plansightWith(const QProcessEnvironment &env)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(PLANSIGHT_BINARY), {});
    if (!p.waitForStarted(10000))
        qFatal("cannot start %s", PLANSIGHT_BINARY);
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
    }
    return { p.exitCode(), p.exitStatus() != QProcess::NormalExit, QString::fromUtf8(p.readAllStandardError()) };
}

QProcessEnvironment withoutDisplay()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *v : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM" })
        env.remove(QString::fromLatin1(v));
    // Should a window open after all, it must not build a demo anywhere.
    env.insert(QStringLiteral("PLANSIGHT_DATA_DIR"), QStringLiteral("/nonexistent/plansight-nodisplay"));
    return env;
}

} // namespace

class TestNoDisplay : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void noDisplayIsAClearErrorNotACrash()
    {
        const Run r = plansightWith(withoutDisplay());
        QVERIFY2(!r.crashed, qPrintable(r.err));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("no display")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("plansight --help")), qPrintable(r.err));
    }

    // A display that is named but cannot be reached: the same, from the platform plugin's failure.
    void anUnreachableDisplayIsAClearErrorNotACrash()
    {
        QProcessEnvironment env = withoutDisplay();
        env.insert(QStringLiteral("DISPLAY"), QStringLiteral(":4917"));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        const Run r = plansightWith(env);
        QVERIFY2(!r.crashed, qPrintable(r.err));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("no usable display")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("plansight --help")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestNoDisplay)
#include "tst_nodisplay.moc"
