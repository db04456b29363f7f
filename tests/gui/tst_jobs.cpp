// The window's job lanes (workers/joblane.h): typed results on the GUI thread, a newer read superseding an older
// one of its kind and only that one, changes one at a time and never touched by a read, cancel reaching the
// running statement, connections opened on the lane's thread.

#include "testcluster.h"
#include "workers/joblane.h"

#include "pg/pgsession.h"

#include <QApplication>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>

#include <atomic>

using namespace plansight;
using namespace plansight::gui;

namespace plansight::gui {
// QCOMPARE names the outcomes it compares.
char *toString(JobOutcome outcome)
{
    return qstrdup(qPrintable(jobOutcomeName(outcome)));
}
} // namespace plansight::gui

namespace {

// Blocks the lane's thread until the test releases it (or the job is cancelled), then returns `value`.
JobFn<QString> gated(QSemaphore *gate, const QString &value)
{
    return [gate, value](CancelToken *cancel, const ProgressFn &progress) -> Result<QString> {
        progress(0, 1, QStringLiteral("gated"));
        CancelScope scope(cancel, [gate] { gate->release(); });
        gate->acquire();
        return value;
    };
}

JobFn<QString> immediate(const QString &value)
{
    return [value](CancelToken *, const ProgressFn &) -> Result<QString> { return value; };
}

JobOutcome outcomeAt(const QSignalSpy &spy, int i)
{
    return spy.at(i).at(1).value<JobOutcome>();
}

quint64 idAt(const QSignalSpy &spy, int i)
{
    return spy.at(i).at(0).value<JobInfo>().id;
}

} // namespace

class TestJobs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aSupersededReadsResultIsDropped()
    {
        JobLane reads(JobLane::Mode::Reads, QStringLiteral("reads"));
        QSignalSpy finished(&reads, &JobLane::finished);
        QStringList delivered;
        const auto collect
            = [&delivered](const Result<QString> &r) { delivered << (r ? r.value() : r.error().message); };
        // The first read blocks until it is cancelled (by the second start of its kind), then answers anyway: that
        // answer must be dropped.
        QSemaphore gate;
        const quint64 old = reads.start<QString>(
            QStringLiteral("status"), QStringLiteral("old"), gated(&gate, QStringLiteral("old")), collect);
        QCOMPARE(reads.generation(QStringLiteral("status")), quint64(1));
        const quint64 fresh = reads.start<QString>(
            QStringLiteral("status"), QStringLiteral("new"), immediate(QStringLiteral("new")), collect);
        QCOMPARE(reads.generation(QStringLiteral("status")), quint64(2));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
        QCOMPARE(idAt(finished, 0), old);
        QCOMPARE(outcomeAt(finished, 0), JobOutcome::Superseded);
        QCOMPARE(idAt(finished, 1), fresh);
        QCOMPARE(outcomeAt(finished, 1), JobOutcome::Done);
        QCOMPARE(delivered, QStringList { QStringLiteral("new") });
        QVERIFY(!reads.isBusy());
    }

    void aResultAlreadyOnItsWayIsDroppedWhenSuperseded()
    {
        // The first read has returned (or is returning) on the lane's thread, its end queued for the GUI thread,
        // when the second one starts: its value is still dropped.
        JobLane reads(JobLane::Mode::Reads, QStringLiteral("reads"));
        QSignalSpy finished(&reads, &JobLane::finished);
        QSemaphore returned;
        QStringList delivered;
        const auto collect
            = [&delivered](const Result<QString> &r) { delivered << (r ? r.value() : r.error().message); };
        reads.start<QString>(
            QStringLiteral("status"), QStringLiteral("old"),
            [&returned](CancelToken *, const ProgressFn &) -> Result<QString> {
                returned.release();
                return QStringLiteral("old");
            },
            collect);
        returned.acquire(); // the job has run; its end has not been handled (no event loop ran since)
        reads.start<QString>(
            QStringLiteral("status"), QStringLiteral("new"), immediate(QStringLiteral("new")), collect);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
        QCOMPARE(outcomeAt(finished, 0), JobOutcome::Superseded);
        QCOMPARE(outcomeAt(finished, 1), JobOutcome::Done);
        QCOMPARE(delivered, QStringList { QStringLiteral("new") });
    }

    void aReadOfAnotherKindIsNotSuperseded()
    {
        JobLane reads(JobLane::Mode::Reads, QStringLiteral("reads"));
        QSignalSpy finished(&reads, &JobLane::finished);
        QSignalSpy progress(&reads, &JobLane::progress);
        QStringList delivered;
        const auto collect
            = [&delivered](const Result<QString> &r) { delivered << (r ? r.value() : r.error().message); };
        QSemaphore gate;
        reads.start<QString>(
            QStringLiteral("catalog"), QStringLiteral("catalog"), gated(&gate, QStringLiteral("catalog")), collect);
        reads.start<QString>(
            QStringLiteral("history-list"), QStringLiteral("history"), immediate(QStringLiteral("history")), collect);
        QVERIFY(progress.wait(60000) || progress.count() == 1); // the catalog read runs and holds the lane's thread
        QCOMPARE(finished.count(), 0);
        gate.release();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
        QCOMPARE(outcomeAt(finished, 0), JobOutcome::Done);
        QCOMPARE(outcomeAt(finished, 1), JobOutcome::Done);
        // One thread per lane: the jobs ran in the order they were started.
        QCOMPARE(delivered, (QStringList { QStringLiteral("catalog"), QStringLiteral("history") }));
    }

    void aReadNeitherCancelsNorWaitsOnAChange()
    {
        JobLane reads(JobLane::Mode::Reads, QStringLiteral("reads"));
        JobLane changes(JobLane::Mode::Changes, QStringLiteral("changes"));
        QSignalSpy readsDone(&reads, &JobLane::finished);
        QSignalSpy changesDone(&changes, &JobLane::finished);
        QSignalSpy changesProgress(&changes, &JobLane::progress);
        QSignalSpy busy(&changes, &JobLane::busyChanged);
        QStringList applied, read;
        QSemaphore gate;
        changes.start<QString>(QStringLiteral("apply"), QStringLiteral("Applying x"),
            gated(&gate, QStringLiteral("applied")),
            [&applied](const Result<QString> &r) { applied << (r ? r.value() : r.error().message); });
        QCOMPARE(busy.count(), 1);
        QVERIFY(busy.first().first().toBool());
        QVERIFY(changesProgress.wait(60000) || changesProgress.count() == 1); // the apply runs
        // Reads of every kind, while the apply holds its lane: they complete, and the apply is untouched.
        for (const QString &kind : { QStringLiteral("apply"), QStringLiteral("status"), QStringLiteral("status") })
            reads.start<QString>(kind, QStringLiteral("read"), immediate(QStringLiteral("read")),
                [&read](const Result<QString> &r) { read << (r ? r.value() : r.error().message); });
        QTRY_COMPARE_WITH_TIMEOUT(readsDone.count(), 3, 60000);
        QCOMPARE(read.size(), 2); // the first "status" read was superseded by the second
        QVERIFY(changes.isBusy());
        QCOMPARE(changesDone.count(), 0);
        gate.release();
        QVERIFY(changesDone.wait(60000) || changesDone.count() == 1);
        QCOMPARE(outcomeAt(changesDone, 0), JobOutcome::Done);
        QCOMPARE(applied, QStringList { QStringLiteral("applied") });
        QVERIFY(!changes.isBusy());
        QCOMPARE(busy.count(), 2);
        QVERIFY(!busy.last().first().toBool());
    }

    void changesRunOneAtATimeAndAreNeverSuperseded()
    {
        JobLane changes(JobLane::Mode::Changes, QStringLiteral("changes"));
        QSignalSpy finished(&changes, &JobLane::finished);
        std::atomic<int> running { 0 }, most { 0 };
        QStringList delivered;
        const auto job = [&running, &most](const QString &value) -> JobFn<QString> {
            return [&running, &most, value](CancelToken *, const ProgressFn &) -> Result<QString> {
                const int now = ++running;
                int seen = most.load();
                while (now > seen && !most.compare_exchange_weak(seen, now)) { }
                --running;
                return value;
            };
        };
        for (const QString &v : { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c") })
            changes.start<QString>(
                QStringLiteral("apply"), v, job(v), [&delivered](const Result<QString> &r) { delivered << r.value(); });
        QCOMPARE(changes.jobCount(), 3);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 60000);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(outcomeAt(finished, i), JobOutcome::Done);
        QCOMPARE(delivered, (QStringList { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c") }));
        QCOMPARE(most.load(), 1);
    }

    void anErrorIsDeliveredTypedAndAsFailed()
    {
        JobLane changes(JobLane::Mode::Changes, QStringLiteral("changes"));
        QSignalSpy finished(&changes, &JobLane::finished);
        std::optional<Error> error;
        changes.start<int>(
            QStringLiteral("apply"), QStringLiteral("failing"),
            [](CancelToken *, const ProgressFn &) -> Result<int> {
                return Error::make(errc::Input, QStringLiteral("No such strategy."));
            },
            [&error](const Result<int> &r) {
                if (!r)
                    error = r.error();
            });
        QVERIFY(finished.wait(60000) || finished.count() == 1);
        QCOMPARE(outcomeAt(finished, 0), JobOutcome::Failed);
        QCOMPARE(finished.first().at(2).toString(), QStringLiteral("No such strategy."));
        QVERIFY(error.has_value());
        QCOMPARE(error->code, errc::Input);
    }

    void aQueuedJobCancelledBeforeItBeganNeverRuns()
    {
        JobLane changes(JobLane::Mode::Changes, QStringLiteral("changes"));
        QSignalSpy finished(&changes, &JobLane::finished);
        QSignalSpy progress(&changes, &JobLane::progress);
        std::atomic<bool> ran { false };
        QSemaphore gate;
        changes.start<QString>(QStringLiteral("apply"), QStringLiteral("first"), gated(&gate, QStringLiteral("first")));
        const quint64 queued = changes.start<QString>(QStringLiteral("revert"), QStringLiteral("queued"),
            [&ran](CancelToken *, const ProgressFn &) -> Result<QString> {
                ran = true;
                return QStringLiteral("queued");
            });
        QVERIFY(progress.wait(60000) || progress.count() == 1); // the first one holds the thread
        changes.cancel(queued);
        gate.release();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
        QCOMPARE(outcomeAt(finished, 0), JobOutcome::Done);
        QCOMPARE(outcomeAt(finished, 1), JobOutcome::Cancelled);
        QVERIFY(!ran.load());
    }

    // With a server: the job connects on the lane's thread, and cancel interrupts its running statement.
    void cancelInterruptsTheRunningStatement()
    {
        if (!test::TestCluster::get()) {
            if (!LocalCluster::findBinDir().ok())
                QSKIP(qPrintable(test::TestCluster::reason()));
            QFAIL(qPrintable(test::TestCluster::reason()));
        }
        const QString conninfo = test::TestCluster::get()->conninfo();
        for (const auto mode : { JobLane::Mode::Reads, JobLane::Mode::Changes }) {
            JobLane lane(mode, QStringLiteral("lane"));
            QSignalSpy finished(&lane, &JobLane::finished);
            QSignalSpy progress(&lane, &JobLane::progress);
            bool delivered = false;
            const quint64 id = lane.start<QString>(
                QStringLiteral("sleep"), QStringLiteral("sleeping"),
                [conninfo](CancelToken *cancel, const ProgressFn &report) -> Result<QString> {
                    if (PgSession::refusesGuiThread())
                        return Error::make(errc::Internal, QStringLiteral("The job ran on the GUI thread."));
                    auto s = PgSession::connect(conninfo);
                    if (!s)
                        return s.error();
                    CancelScope scope(cancel, [session = s.value().get()] { session->cancel(); });
                    report(0, 0, QStringLiteral("sleeping"));
                    auto r = s.value()->exec(QStringLiteral("SELECT pg_sleep(3600)"));
                    if (!r)
                        return r.error();
                    return QStringLiteral("slept");
                },
                [&delivered](const Result<QString> &) { delivered = true; });
            QVERIFY(progress.wait(60000) || progress.count() == 1);
            lane.cancel(id);
            QVERIFY(finished.wait(60000) || finished.count() == 1);
            QCOMPARE(outcomeAt(finished, 0), JobOutcome::Cancelled);
            QVERIFY(!delivered);
            QVERIFY(!lane.isBusy());
        }
    }
};

QTEST_MAIN(TestJobs)
#include "tst_jobs.moc"
