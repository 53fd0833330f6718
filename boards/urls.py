from django.urls import path

from .views import boards, issues, meetings

app_name = "boards"

urlpatterns = [
    path("", boards.board_list_view, name="board-list"),
    path("new/", boards.board_create_view, name="board-create"),
    path("home/", boards.home_view, name="home"),
    path("index/", boards.board_index_view, name="board-index"),
    path("index.csv", boards.board_index_csv_view, name="board-index-csv"),
    path("my-actions/", meetings.my_actions_view, name="my-actions"),
    path("issues/", issues.issue_list_view, name="issue-list"),
    path("<int:pk>/", boards.board_detail_view, name="board-detail"),
    path("<int:pk>/edit/", boards.board_edit_view, name="board-edit"),
    path("<int:pk>/members/add/", boards.board_member_add_view, name="board-member-add"),
    path("members/<int:pk>/remove/", boards.board_member_remove_view, name="board-member-remove"),
    path("<int:pk>/meetings/new/", meetings.meeting_create_view, name="meeting-create"),
    path("<int:pk>/issues/new/", issues.issue_create_view, name="issue-create"),
    path("meetings/<int:pk>/", meetings.meeting_detail_view, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit_view, name="meeting-edit"),
    path("meetings/<int:pk>/agenda/", meetings.meeting_agenda_print_view, name="meeting-agenda-print"),
    path("meetings/<int:pk>/agenda.pdf", meetings.meeting_agenda_pdf_view, name="meeting-agenda-pdf"),
    path("meetings/<int:pk>/minutes/", meetings.meeting_minutes_print_view, name="meeting-minutes-print"),
    path("meetings/<int:pk>/minutes.pdf", meetings.meeting_minutes_pdf_view, name="meeting-minutes-pdf"),
    path("meetings/<int:pk>/status/", meetings.meeting_status_view, name="meeting-status"),
    path("meetings/<int:pk>/items/new/", meetings.agenda_item_create_view, name="agenda-item-create"),
    path("meetings/<int:pk>/attendance/", meetings.attendance_view, name="attendance-record"),
    path("items/<int:pk>/edit/", meetings.agenda_item_edit_view, name="agenda-item-edit"),
    path("items/<int:pk>/move/", meetings.agenda_item_move_view, name="agenda-item-move"),
    path("items/<int:pk>/papers/", meetings.agenda_item_papers_view, name="agenda-item-papers"),
    path("items/<int:pk>/minutes/", meetings.minutes_view, name="minutes-record"),
    path("items/<int:pk>/actions/new/", meetings.action_create_view, name="action-create"),
    path("actions/<int:pk>/status/", meetings.action_status_view, name="action-status"),
    path("issues/<int:pk>/", issues.issue_detail_view, name="issue-detail"),
    path("issues/<int:pk>/escalate/", issues.issue_escalate_view, name="issue-escalate"),
    path("issues/<int:pk>/resolve/", issues.issue_resolve_view, name="issue-resolve"),
    path("issues/<int:pk>/agenda/", issues.issue_add_to_agenda_view, name="issue-add-to-agenda"),
]
