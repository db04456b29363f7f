#include "strategylistmodel.h"

#include "timingcharts.h"

#include "strategies/settingsvariantstrategy.h"

#include <QApplication>
#include <QColor>
#include <QFont>
#include <QLocale>
#include <QPalette>

namespace plansight::gui {

StrategyListModel::StrategyListModel(QObject *parent) : QAbstractTableModel(parent) { }

void StrategyListModel::setRows(const QList<StrategyRow> &rows)
{
    // Measured figures survive a status refresh (a status read does not measure sizes).
    QList<StrategyRow> merged = rows;
    for (StrategyRow &r : merged) {
        if (const StrategyRow *old = row(r.info.id)) {
            if (r.bytes < 0)
                r.bytes = old->bytes;
            if (r.buildMs < 0)
                r.buildMs = old->buildMs;
        }
    }
    m_catalog = merged;
    beginResetModel();
    rebuild();
    endResetModel();
}

void StrategyListModel::rebuild()
{
    QList<StrategyRow> out;
    for (const StrategyRow &r : std::as_const(m_catalog)) {
        out.append(r);
        for (const QString &id : std::as_const(m_variantIds)) {
            auto variant = std::dynamic_pointer_cast<SettingsVariantStrategy>(strategyById(id));
            if (!variant || variant->inner()->id() != r.info.id)
                continue;
            // The inner strategy's status and objects (the variant uses them); its own identity and figures.
            StrategyRow v = r;
            v.info = variant->info();
            v.bytes = -1;
            v.buildMs = -1;
            for (const StrategyRow &old : std::as_const(m_rows))
                if (old.info.id == id) {
                    v.bytes = old.bytes;
                    v.buildMs = old.buildMs;
                }
            out.append(v);
        }
    }
    m_rows = out;
}

Result<QString> StrategyListModel::addVariant(const QString &innerId, const QString &overrides)
{
    auto inner = strategyById(innerId);
    if (!inner)
        return Error::make(errc::Input, QStringLiteral("Select a strategy of the list to add a settings variant to."));
    if (std::dynamic_pointer_cast<SettingsVariantStrategy>(inner))
        return Error::make(errc::Input,
            QStringLiteral("%1 is a settings variant already; select its strategy and give all the overrides at "
                           "once.")
                .arg(innerId));
    auto settings = parseSettingOverrides(overrides);
    if (!settings)
        return settings.error();
    auto variant = makeSettingsVariant(inner, settings.value());
    if (!variant)
        return variant.error();
    const QString id = variant.value()->id();
    if (m_variantIds.contains(id))
        return Error::make(errc::Input, QStringLiteral("%1 is in the list already.").arg(id));
    beginResetModel();
    m_variantIds.append(id);
    m_checked.insert(id);
    rebuild();
    endResetModel();
    Q_EMIT checksChanged();
    return id;
}

bool StrategyListModel::removeVariant(const QString &id)
{
    if (!m_variantIds.contains(id))
        return false;
    beginResetModel();
    m_variantIds.removeAll(id);
    m_checked.remove(id);
    m_measured.remove(id);
    rebuild();
    endResetModel();
    Q_EMIT checksChanged();
    return true;
}

void StrategyListModel::setVariantIds(const QStringList &ids)
{
    beginResetModel();
    m_variantIds.clear();
    for (const QString &id : ids)
        if (std::dynamic_pointer_cast<SettingsVariantStrategy>(strategyById(id)) && !m_variantIds.contains(id))
            m_variantIds.append(id);
    rebuild();
    endResetModel();
    Q_EMIT checksChanged();
}

const StrategyRow *StrategyListModel::row(const QString &id) const
{
    for (const StrategyRow &r : m_rows)
        if (r.info.id == id)
            return &r;
    return nullptr;
}

void StrategyListModel::setFootprint(const QString &id, qint64 bytes, double buildMs)
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].info.id != id)
            continue;
        m_measured.insert(id);
        if (bytes >= 0)
            m_rows[i].bytes = bytes;
        if (buildMs >= 0)
            m_rows[i].buildMs = buildMs;
        Q_EMIT dataChanged(index(i, FootprintColumn), index(i, BuildColumn));
        return;
    }
}

QStringList StrategyListModel::checkedIds() const
{
    QStringList ids;
    for (const StrategyRow &r : m_rows)
        if (m_checked.contains(r.info.id))
            ids << r.info.id;
    return ids;
}

void StrategyListModel::setCheckedIds(const QStringList &ids)
{
    m_checked = QSet<QString>(ids.begin(), ids.end());
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, 0), { Qt::CheckStateRole });
    Q_EMIT checksChanged();
}

int StrategyListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int StrategyListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StrategyListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const StrategyRow &r = m_rows.at(index.row());
    const bool reverted = r.info.needsObjects && r.statusKnown && r.status.state == StrategyState::NotApplied
        && m_measured.contains(r.info.id);
    const QString stateText = !r.info.needsObjects   ? QStringLiteral("query only")
        : !r.statusKnown && !r.statusError.isEmpty() ? QStringLiteral("unknown")
        : !r.statusKnown                             ? QStringLiteral("not read yet")
        : reverted                                   ? QStringLiteral("reverted after its runs")
                                                     : toString(r.status.state);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case StrategyColumn:
            return r.info.id;
        case StatusColumn:
            return stateText;
        case FootprintColumn:
            return r.info.needsObjects ? formatBytes(r.bytes) : QStringLiteral("none");
        case BuildColumn:
            return r.info.needsObjects ? formatMs(r.buildMs) : QStringLiteral("-");
        }
        return {};
    case Qt::CheckStateRole:
        if (index.column() == StrategyColumn)
            return m_checked.contains(r.info.id) ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn) {
            const QPalette pal = QApplication::palette();
            const bool dark = pal.color(QPalette::Window).lightness() < 128;
            if (r.status.state == StrategyState::Broken || !r.statusError.isEmpty())
                return charts::checkColor(ResultCheck::Different, pal);
            if (r.status.state == StrategyState::Applied && r.info.needsObjects)
                return dark ? QColor(0x6f, 0xd0, 0x8c) : QColor(0x1e, 0x7b, 0x34);
            return pal.color(QPalette::PlaceholderText);
        }
        return {};
    case Qt::ToolTipRole: {
        QString tip = QStringLiteral("<b>%1</b> (%2)<br>%3")
                          .arg(r.info.title.toHtmlEscaped(), r.info.proposal.toHtmlEscaped(),
                              r.info.description.toHtmlEscaped());
        if (!r.info.requirements.isEmpty())
            tip += QStringLiteral("<br>Needs: ") + r.info.requirements.join(QStringLiteral(", ")).toHtmlEscaped();
        if (!r.statusError.isEmpty())
            tip += QStringLiteral("<br><span style='color:#d02121'>%1</span>").arg(r.statusError.toHtmlEscaped());
        if (!r.status.detail.isEmpty())
            tip += QStringLiteral("<br>") + r.status.detail.toHtmlEscaped();
        if (!r.status.missing.isEmpty() && r.status.state == StrategyState::Broken)
            tip += QStringLiteral("<br>Missing: ") + r.status.missing.join(QStringLiteral(", ")).toHtmlEscaped();
        if (!r.status.present.isEmpty())
            tip += QStringLiteral("<br>Present: ") + r.status.present.join(QStringLiteral(", ")).toHtmlEscaped();
        if (reverted)
            tip += QStringLiteral(
                "<br>PlanSight applied it for its runs and removed it afterwards: strategies are measured "
                "in turn so that each run sees only its own objects (this server's HypoPG cannot hide "
                "other strategies' indexes). Apply it with the Apply button or with "
                "<tt>plansight strategies apply %1</tt> to keep it.")
                       .arg(r.info.id.toHtmlEscaped());
        return tip;
    }
    case Qt::TextAlignmentRole:
        return index.column() >= FootprintColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case StrategyIdRole:
        return r.info.id;
    case StateRole:
        return int(r.status.state);
    case NeedsObjectsRole:
        return r.info.needsObjects;
    case SortRole:
        switch (index.column()) {
        case FootprintColumn:
            return r.bytes;
        case BuildColumn:
            return r.buildMs;
        case StatusColumn:
            return stateText;
        default:
            return index.row();
        }
    default:
        return {};
    }
}

bool StrategyListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::CheckStateRole || !checkIndex(index, CheckIndexOption::IndexIsValid)
        || index.column() != StrategyColumn)
        return false;
    const QString id = m_rows.at(index.row()).info.id;
    if (value.toInt() == Qt::Checked)
        m_checked.insert(id);
    else
        m_checked.remove(id);
    Q_EMIT dataChanged(index, index, { Qt::CheckStateRole });
    Q_EMIT checksChanged();
    return true;
}

Qt::ItemFlags StrategyListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == StrategyColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant StrategyListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StrategyColumn:
        return QStringLiteral("Strategy");
    case StatusColumn:
        return QStringLiteral("Status");
    case FootprintColumn:
        return QStringLiteral("Size");
    case BuildColumn:
        return QStringLiteral("Build");
    }
    return {};
}

} // namespace plansight::gui
