from django.urls import path

from . import views

app_name = "boards"

urlpatterns = [
    path("", views.board_list_view, name="board-list"),
    path("new/", views.board_create_view, name="board-create"),
    path("home/", views.home_view, name="home"),
    path("index/", views.board_index_view, name="board-index"),
    path("index.csv", views.board_index_csv_view, name="board-index-csv"),
    path("my-actions/", views.my_actions_view, name="my-actions"),
    path("issues/", views.issue_list_view, name="issue-list"),
    path("<int:pk>/", views.board_detail_view, name="board-detail"),
    path("<int:pk>/edit/", views.board_edit_view, name="board-edit"),
    path("<int:pk>/members/add/", views.board_member_add_view, name="board-member-add"),
    path("members/<int:pk>/remove/", views.board_member_remove_view, name="board-member-remove"),
    path("<int:pk>/meetings/new/", views.meeting_create_view, name="meeting-create"),
    path("<int:pk>/issues/new/", views.issue_create_view, name="issue-create"),
    path("meetings/<int:pk>/", views.meeting_detail_view, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit_view, name="meeting-edit"),
    path("meetings/<int:pk>/agenda/", views.meeting_agenda_print_view, name="meeting-agenda-print"),
    path("meetings/<int:pk>/agenda.pdf", views.meeting_agenda_pdf_view, name="meeting-agenda-pdf"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes_print_view, name="meeting-minutes-print"),
    path("meetings/<int:pk>/minutes.pdf", views.meeting_minutes_pdf_view, name="meeting-minutes-pdf"),
    path("meetings/<int:pk>/status/", views.meeting_status_view, name="meeting-status"),
    path("meetings/<int:pk>/items/new/", views.agenda_item_create_view, name="agenda-item-create"),
    path("meetings/<int:pk>/attendance/", views.attendance_view, name="attendance-record"),
    path("items/<int:pk>/edit/", views.agenda_item_edit_view, name="agenda-item-edit"),
    path("items/<int:pk>/move/", views.agenda_item_move_view, name="agenda-item-move"),
    path("items/<int:pk>/papers/", views.agenda_item_papers_view, name="agenda-item-papers"),
    path("items/<int:pk>/minutes/", views.minutes_view, name="minutes-record"),
    path("items/<int:pk>/actions/new/", views.action_create_view, name="action-create"),
    path("actions/<int:pk>/status/", views.action_status_view, name="action-status"),
    path("issues/<int:pk>/", views.issue_detail_view, name="issue-detail"),
    path("issues/<int:pk>/escalate/", views.issue_escalate_view, name="issue-escalate"),
    path("issues/<int:pk>/resolve/", views.issue_resolve_view, name="issue-resolve"),
    path("issues/<int:pk>/agenda/", views.issue_add_to_agenda_view, name="issue-add-to-agenda"),
]
