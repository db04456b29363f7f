#include "databaseview.h"

#include "present/format.h"

#include "catalog/catalogsnapshot.h"
#include "pg/pgsession.h"
#include "strategylistmodel.h"
#include "valuetablemodel.h"
#include "workers/joblane.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

Q_DECLARE_METATYPE(plansight::CatalogSnapshot)

namespace plansight::gui {

namespace {
QTableView *makeTable(QWidget *parent, ValueTableModel *model, const QString &name)
{
    auto *proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    proxy->setSortRole(ValueTableModel::SortRole);
    auto *t = new QTableView(parent);
    t->setObjectName(name);
    t->setModel(proxy);
    t->setSortingEnabled(true);
    t->sortByColumn(-1, Qt::AscendingOrder);
    t->setAlternatingRowColors(true);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->verticalHeader()->setVisible(false);
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setWordWrap(false);
    return t;
}

QString count(qint64 n)
{
    return n < 0 ? notMeasured() : formatCount(double(n));
}
} // namespace

DatabaseView::DatabaseView(JobLane *reads, QWidget *parent) : QWidget(parent), m_reads(reads)
{
    if (!m_reads)
        m_reads = new JobLane(JobLane::Mode::Reads, QStringLiteral("catalog"), this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *bar = new QHBoxLayout;
    m_summary = new QLabel(QStringLiteral("Connect to see the gallery tables."), this);
    m_summary->setObjectName(QStringLiteral("databaseSummary"));
    m_summary->setWordWrap(true);
    bar->addWidget(m_summary, 1);
    m_exact = new QCheckBox(QStringLiteral("Exact counts"), this);
    m_exact->setChecked(true);
    m_exact->setToolTip(QStringLiteral("COUNT(*) every table (reads them all; seconds at scale 1)."));
    m_tagCounts = new QCheckBox(QStringLiteral("Tag cardinalities"), this);
    m_tagCounts->setChecked(true);
    m_tagCounts->setToolTip(QStringLiteral("Group the junction table by tag (reads it all)."));
    m_refresh = new QPushButton(QStringLiteral("Refresh"), this);
    m_refresh->setObjectName(QStringLiteral("databaseRefresh"));
    m_refresh->setToolTip(QStringLiteral("Take a new catalog snapshot (F6)."));
    m_refresh->setShortcut(QKeySequence(Qt::Key_F6));
    m_refresh->setEnabled(false);
    bar->addWidget(m_exact);
    bar->addWidget(m_tagCounts);
    bar->addWidget(m_refresh);
    layout->addLayout(bar);

    m_tables = new ValueTableModel(
        { QStringLiteral("Table"), QStringLiteral("Exact rows"), QStringLiteral("Estimated rows"),
            QStringLiteral("Heap"), QStringLiteral("TOAST"), QStringLiteral("Indexes"), QStringLiteral("Total") },
        this);
    m_tables->setNumericColumns({ 1, 2, 3, 4, 5, 6 });
    m_indexes = new ValueTableModel(
        { QStringLiteral("Table"), QStringLiteral("Index"), QStringLiteral("Size"), QStringLiteral("Scans"),
            QStringLiteral("Tuples read"), QStringLiteral("Definition") },
        this);
    m_indexes->setNumericColumns({ 2, 3, 4 });
    m_tags = new ValueTableModel({ QStringLiteral("Tag"), QStringLiteral("Regular rows"), QStringLiteral("Auto rows"),
                                     QStringLiteral("Total"), QStringLiteral("Share of items") },
        this);
    m_tags->setNumericColumns({ 1, 2, 3, 4 });

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("databaseSplitter"));
    auto *tabs = new QTabWidget(this);
    tabs->setDocumentMode(true);
    split->addWidget(makeTable(this, m_tables, QStringLiteral("databaseTables")));
    tabs->addTab(makeTable(this, m_indexes, QStringLiteral("databaseIndexes")), QStringLiteral("Indexes"));
    tabs->addTab(makeTable(this, m_tags, QStringLiteral("databaseTags")), QStringLiteral("Tag cardinalities"));
    split->addWidget(tabs);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    layout->addWidget(split, 1);

    connect(m_refresh, &QPushButton::clicked, this, &DatabaseView::refresh);
    connect(m_reads, &JobLane::progress, this, [this](const JobInfo &job, qint64, qint64, const QString &text) {
        if (job.id == m_job)
            m_summary->setText(text);
    });
    connect(m_reads, &JobLane::finished, this, [this](const JobInfo &job) {
        if (job.id != m_job)
            return;
        m_job = 0;
        m_refresh->setEnabled(!m_conninfo.isEmpty());
    });
}

DatabaseView::~DatabaseView() = default;

void DatabaseView::setConnection(const QString &conninfo)
{
    m_conninfo = conninfo;
    m_refresh->setEnabled(!conninfo.isEmpty() && m_job == 0);
}

void DatabaseView::refresh()
{
    if (m_conninfo.isEmpty())
        return;
    SnapshotOptions options;
    options.exactCounts = m_exact->isChecked();
    options.tagCardinalities = m_tagCounts->isChecked();
    const QString conninfo = m_conninfo;
    m_refresh->setEnabled(false);
    m_job = m_reads->start<CatalogSnapshot>(
        QStringLiteral("catalog"), QStringLiteral("Reading the catalog"),
        [conninfo, options](CancelToken *cancel, const ProgressFn &progress) -> Result<CatalogSnapshot> {
            PgSession::Options o;
            o.statementTimeoutMs = 600000;
            auto s = PgSession::connect(conninfo, o);
            if (!s)
                return s.error();
            return takeSnapshot(*s.value(), options, cancel, progress);
        },
        [self = QPointer<DatabaseView>(this)](const Result<CatalogSnapshot> &r) {
            if (!self)
                return;
            if (r) {
                self->setSnapshot(r.value());
                return;
            }
            self->m_summary->setText(QStringLiteral("The catalog could not be read: ") + r.error().toString());
            Q_EMIT self->failed(r.error().toString());
        });
}

void DatabaseView::setSnapshot(const CatalogSnapshot &snap)
{
    m_hasSnapshot = true;
    QList<ValueTableModel::Row> tables, indexes, tags;
    for (const QString &t : galleryTables()) {
        const RowCount *rc = snap.rowCount(t);
        const TableSize *sz = snap.size(t);
        ValueTableModel::Row row;
        row.key = t;
        const bool present = (!rc || rc->present) && (!sz || sz->present);
        row.cells << ValueTableModel::text(present ? t : t + QStringLiteral(" (absent)"));
        row.cells << ValueTableModel::number(rc ? count(rc->exact) : QStringLiteral("-"), rc ? double(rc->exact) : -1);
        row.cells << ValueTableModel::number(
            rc ? count(rc->estimated) : QStringLiteral("-"), rc ? double(rc->estimated) : -1);
        const auto bytes = [&](qint64 v) {
            return ValueTableModel::number(sz ? formatBytes(v) : QStringLiteral("-"), sz ? double(v) : -1);
        };
        row.cells << bytes(sz ? sz->heapBytes : -1) << bytes(sz ? sz->toastBytes : -1)
                  << bytes(sz ? sz->indexBytes : -1) << bytes(sz ? sz->totalBytes : -1);
        tables << row;
        if (sz)
            for (const IndexStats &ix : sz->indexes) {
                ValueTableModel::Row ir;
                ir.key = ix.name;
                ir.cells << ValueTableModel::text(ix.table)
                         << ValueTableModel::text(ix.valid ? ix.name : ix.name + QStringLiteral(" (invalid)"))
                         << ValueTableModel::number(formatBytes(ix.bytes), double(ix.bytes))
                         << ValueTableModel::number(count(ix.scans), double(ix.scans))
                         << ValueTableModel::number(count(ix.tuplesRead), double(ix.tuplesRead))
                         << ValueTableModel::Cell { ix.definition, {}, {}, ix.definition };
                // PlanSight's strategy objects stand out: they are what a strategy costs.
                ir.bold = ix.name.startsWith(QLatin1String("ps_"));
                indexes << ir;
            }
    }
    for (const TagCardinality &t : snap.tags) {
        ValueTableModel::Row tr;
        tr.key = t.tagId;
        tr.cells << ValueTableModel::Cell { t.name, {}, {}, t.tagId }
                 << ValueTableModel::number(count(t.regularRows), double(t.regularRows))
                 << ValueTableModel::number(count(t.autoRows), double(t.autoRows))
                 << ValueTableModel::number(count(t.rows()), double(t.rows()))
                 << ValueTableModel::number(
                        t.itemShare < 0 ? notMeasured() : formatPercent(t.itemShare * 100), t.itemShare);
        tags << tr;
    }
    m_tables->setRows(tables);
    m_indexes->setRows(indexes);
    m_tags->setRows(tags);
    QString text = QStringLiteral("%1 · PostgreSQL %2 · %3 in the gallery tables · taken %4")
                       .arg(snap.server, snap.serverVersion, formatBytes(snap.totalBytes()),
                           QLocale().toString(snap.takenAt.toLocalTime(), QLocale::ShortFormat));
    if (snap.demo)
        text += QStringLiteral("<br>Demo: ") + snap.demo->describe().toHtmlEscaped();
    m_summary->setText(text);
    Q_EMIT snapshotReady();
}

} // namespace plansight::gui
