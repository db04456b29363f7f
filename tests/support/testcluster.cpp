#include "testcluster.h"

#include <QTest>

namespace plansight::test {

namespace {
QString g_reason;
}

TestCluster *TestCluster::get()
{
    static std::unique_ptr<TestCluster> instance;
    static bool tried = false;
    if (tried)
        return instance.get();
    tried = true;
    std::unique_ptr<TestCluster> c(new TestCluster);
    if (!c->m_dir.isValid()) {
        g_reason = QStringLiteral("could not create a temporary directory");
        return nullptr;
    }
    c->m_cluster = std::make_unique<LocalCluster>(c->m_dir.path() + QStringLiteral("/cluster"));
    if (auto st = c->m_cluster->start(); !st) {
        g_reason = st.error().toString();
        return nullptr;
    }
    instance = std::move(c);
    return instance.get();
}

QString TestCluster::reason()
{
    return g_reason;
}

std::unique_ptr<PgSession> TestCluster::connect(const QString &db)
{
    if (auto st = m_cluster->ensureDatabase(db); !st) {
        qWarning("%s", qPrintable(st.error().toString()));
        return nullptr;
    }
    auto s = PgSession::connect(m_cluster->conninfo(db));
    if (!s) {
        qWarning("%s", qPrintable(s.error().toString()));
        return nullptr;
    }
    return std::move(s.value());
}

TestCluster::~TestCluster()
{
    if (m_cluster)
        (void)m_cluster->destroy();
}

} // namespace plansight::test
