"""Import templates (.xlsx) for each import kind, written with xlsxwriter.

Sheet 1: a title row, our labels as the header on row 2 (bold, frozen, required ones red with a comment),
drop-downs from the code lists on TEMPLATE_ROWS rows, ID/phone/code columns formatted as text ("@") so that
Excel keeps every digit. Sheet 2 "填写说明" explains each column. The lists behind the drop-downs live on a
hidden sheet: Excel limits a list typed into a validation to 255 characters.
"""

import io
from collections.abc import Sequence

import xlsxwriter
from django.db.models import TextChoices

from laborcoop.employers import choices as ec
from laborcoop.employment import choices as emc
from laborcoop.intake.columns import COLUMNS, REQUIRED_ONE_OF, Column, ImportKind
from laborcoop.registry import choices as rc

TEMPLATE_ROWS = 2000  # rows carrying drop-downs and text formats
HEADER_ROW = 2  # 1-based
INSTRUCTIONS_SHEET = "填写说明"
LISTS_SHEET = "代码表"

SHEET_NAMES = {
    ImportKind.PERSONS: "家庭与人员",
    ImportKind.WORK: "务工信息",
    ImportKind.ENTERPRISES: "企业",
    ImportKind.JOBS: "岗位",
    ImportKind.ENT_REPORT: "企业报送",
}

YES_NO = ["是", "否"]
# 就业渠道 as the monitoring system records it (shared/domain.md, "Code lists").
CHANNELS = ["外出务工", "公益性岗位", "帮扶车间", "劳务协作输出", "自主就业", "创业"]
ID_TYPES = [label for _, label in rc.IdType.choices]

# How rows are matched to stored records, per kind (numbered after the general notes).
KEY_NOTES: dict[ImportKind, list[str]] = {
    ImportKind.PERSONS: [
        "以户编号识别家庭、以证件号码识别人员：重复导入同一文件不会产生重复记录，修改后的行只更新有变化的项。",
    ],
    ImportKind.ENTERPRISES: [
        "以统一社会信用代码识别企业：已登记的企业按本行更新（只更新有变化的项），未登记的新增；重复导入同一文件不会产生重复记录。",
        "所在地区须在您的管辖范围内；其他地区已登记的企业不能在此导入或修改。",
        "文件中没有的列保持原值；有该列但单元格空白时按空白处理（是否类空白按否）。",
    ],
    ImportKind.JOBS: [
        "岗位所属企业须已登记（可先导入企业），以统一社会信用代码对应。",
        "以“企业 + 岗位名称 + 工作地点”识别岗位：与该企业在同一工作地点的同名在招岗位视为同一岗位，按本行更新；"
        "已结束的岗位不再更新，同名行会发布新岗位。重复导入同一文件不会产生重复记录。",
        "工作地点空白时为企业所在地区；有效期起空白时新岗位按导入当天；新岗位发布后为“招聘中”，已有岗位的状态不变。",
    ],
    ImportKind.ENT_REPORT: [
        "每行一项报送，“报送类型”填 入职、工资、参保 或 离职，各类型只需填写其说明中标明的列。",
        "以证件号码和姓名识别人员，须与平台登记一致；工资、参保、离职须是本企业已报送入职的人员。",
        "同一事项重复报送不会产生重复记录：同一人员同一入职日期只登记一次，同一月份的工资再次报送即为修改。",
        "有问题的行不导入，其余行照常导入；问题报告列出每一行的原因（证件号码已脱敏）。",
    ],
}


def _labels(choices: type[TextChoices]) -> list[str]:
    return [str(label) for label in choices.labels]


# Column key -> (drop-down values, strict). Not strict: multi-value cells ("残疾,长期慢性病") and free text
# must stay possible, so Excel only warns.
_LISTS: dict[str, tuple[list[str], bool]] = {
    "sex": (_labels(rc.Sex), True),
    "id_type": (ID_TYPES, True),
    "relation": (_labels(rc.Relation), True),
    "education": (_labels(rc.Education), True),
    "student_status": (_labels(rc.StudentStatus), True),
    "health": (_labels(rc.Health), False),
    "labor_skill": (_labels(rc.LaborSkill), True),
    "political_status": (_labels(rc.PoliticalStatus), True),
    "household_type": (_labels(rc.HouseholdType), True),
    "poverty_attribute": (_labels(rc.PovertyAttribute), True),
    "monitor_category": (_labels(rc.MonitorCategory), True),
    "marital_status": (_labels(rc.MaritalStatus), True),
    "employment_status": (_labels(rc.EmploymentStatus), True),
    "work_region_willingness": ([label for _, label in rc.WILLINGNESS_CHOICES], False),
    "training_needs": (_labels(rc.TrainingNeed), False),
    "risk_eliminated": (YES_NO, True),
    "is_working": (YES_NO, True),
    "point_to_point": (YES_NO, True),
    "channel": (CHANNELS, False),
    "industry": (_labels(ec.Industry), True),
    "size": (_labels(ec.EnterpriseSize), True),
    "sex_requirement": (_labels(ec.SexRequirement), True),
    "education_min": (_labels(rc.Education), True),
    "is_assist_workshop": (YES_NO, True),
    "is_assist_base": (YES_NO, True),
    "provides_accommodation": (YES_NO, True),
    "provides_meals": (YES_NO, True),
    "is_low_threshold": (YES_NO, True),
    "report_kind": (["入职", "工资", "参保", "离职"], True),
    "contract_signed": (YES_NO, True),
    "insurance_types": (_labels(emc.InsuranceType), False),
    "end_reason": (_labels(emc.EndReason), True),
}

# Columns whose values are long digit strings or codes: stored as text.
TEXT_COLUMNS = frozenset(
    [
        "id_number",
        "phone",
        "household_phone",
        "contact_phone",
        "household_no",
        "person_no",
        "village_code",
        "uscc",
        "region_code",
        "work_region_code",
        "month",
    ]
)


def _required_note(kind: ImportKind, column: Column) -> str:
    if column.required:
        return "必填"
    for group in REQUIRED_ONE_OF[kind]:
        if column.key in group:
            return "二选一必填"
    return "选填"


def _width(column: Column) -> float:
    if column.key in ("id_number", "uscc"):
        return 22
    return max(10.0, len(column.label) * 2.2 + 2)


def build_template(kind: ImportKind) -> bytes:
    """The .xlsx import template of `kind`."""
    columns = COLUMNS[kind]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title_format = workbook.add_format({"bold": True, "font_size": 14, "align": "left", "valign": "vcenter"})
    header_format = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
    required_format = workbook.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center", "font_color": "#C00000"}
    )
    text_format = workbook.add_format({"num_format": 49})  # built-in "@" (text)
    wrap_format = workbook.add_format({"text_wrap": True, "valign": "top"})

    sheet = workbook.add_worksheet(SHEET_NAMES[kind])
    instructions = workbook.add_worksheet(INSTRUCTIONS_SHEET)
    lists = workbook.add_worksheet(LISTS_SHEET)
    lists.hide()

    last_col = len(columns) - 1
    title = f"{kind.label}导入模板（红色列名为必填；从第 {HEADER_ROW + 1} 行开始填写，请勿修改表头）"
    if last_col > 0:
        sheet.merge_range(0, 0, 0, last_col, title, title_format)
    else:
        sheet.write_string(0, 0, title, title_format)
    sheet.set_row(0, 24)
    sheet.freeze_panes(HEADER_ROW, 0)

    list_col = 0
    for index, column in enumerate(columns):
        note = _required_note(kind, column)
        is_required = note != "选填"
        sheet.write_string(HEADER_ROW - 1, index, column.label, required_format if is_required else header_format)
        comment = "；".join(part for part in (note if is_required else "", column.hint) if part)
        if comment:
            sheet.write_comment(HEADER_ROW - 1, index, comment, {"x_scale": 1.5})
        sheet.set_column(index, index, _width(column), text_format if column.key in TEXT_COLUMNS else None)
        if column.key in _LISTS:
            values, strict = _LISTS[column.key]
            lists.write_string(0, list_col, column.label)
            lists.write_column(1, list_col, values)
            col_letter = xlsxwriter.utility.xl_col_to_name(list_col)
            source = f"='{LISTS_SHEET}'!${col_letter}$2:${col_letter}${len(values) + 1}"
            validation: dict[str, object] = {"validate": "list", "source": source}
            if not strict:
                validation.update(
                    {
                        "error_type": "warning",
                        "error_title": column.label,
                        "error_message": "不在下拉列表中；多个值请用逗号分隔。确定要保留吗？",
                    }
                )
            sheet.data_validation(HEADER_ROW, index, HEADER_ROW + TEMPLATE_ROWS - 1, index, validation)
            list_col += 1

    _write_instructions(instructions, kind, columns, header_format, wrap_format)
    sheet.activate()
    workbook.close()
    return buffer.getvalue()


def _write_instructions(
    sheet: xlsxwriter.worksheet.Worksheet,
    kind: ImportKind,
    columns: Sequence[Column],
    header_format: xlsxwriter.format.Format,
    wrap_format: xlsxwriter.format.Format,
) -> None:
    notes = [
        f"{kind.label}导入说明",
        f"1. 在第一个工作表“{SHEET_NAMES[kind]}”的第 {HEADER_ROW + 1} 行起逐行填写，每行一条记录；不要修改或删除表头。",
        "2. 列的顺序可以调整，也可以增加其他列（导入时忽略）；必填列不能删除。",
        "3. 身份证号、电话号码等列已设为文本格式，请勿改为数值格式，否则 Excel 会把 18 位号码截断为 15 位。",
        "4. 日期可写作 2023-05-01、2023/5/1、20230501 或 2023年5月1日；月份可写作 2023年5月 或 202305。",
        "5. 带下拉列表的列请从列表中选择；可多选的列用逗号分隔多个值。",
    ]
    notes += [f"{number}. {note}" for number, note in enumerate(KEY_NOTES.get(kind, []), start=len(notes))]
    for row, note in enumerate(notes):
        sheet.write_string(row, 0, note)
    start = len(notes) + 1
    for col, text in enumerate(["列名", "是否必填", "说明", "可选值"]):
        sheet.write_string(start, col, text, header_format)
    for offset, column in enumerate(columns, start=start + 1):
        sheet.write_string(offset, 0, column.label)
        sheet.write_string(offset, 1, _required_note(kind, column))
        sheet.write_string(offset, 2, column.hint, wrap_format)
        values = _LISTS.get(column.key, ([], True))[0]
        sheet.write_string(offset, 3, "、".join(v for v in values if v), wrap_format)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 2, 50)
    sheet.set_column(3, 3, 60)
