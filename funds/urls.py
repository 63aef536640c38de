"""The fund's pages: its managers' board, deals, portfolio and windows, the committee's meetings,
and each enterprise's own funding page."""

from django.urls import path

from .views import board, committee, deal, enterprise, portfolio, windows

app_name = "funds"

D = "fund/deals/<ref:reference>/"
M = "fund/committee/<int:pk>/"
E = "enterprises/<ref:reference>/funding/"

urlpatterns = [
    # The pipeline board, sourcing a deal, and one step of a deal from the board or its page.
    path("fund/", board.board, name="board"),
    path("fund/deals/new/", board.source, name="source_deal"),
    path(f"{D}step/", board.step, name="deal_step"),
    # One deal: its page, lead, notes, documents, checklist and conditions precedent.
    path(D, deal.deal_page, name="deal"),
    path(f"{D}lead/", deal.lead, name="deal_lead"),
    path(f"{D}notes/", deal.note, name="deal_note"),
    path(f"{D}documents/", deal.upload, name="deal_upload"),
    path(f"{D}documents/<int:pk>/", deal.document_download, name="deal_document_download"),
    path(f"{D}checklist/<int:pk>/", deal.checklist_item, name="checklist_item"),
    path(f"{D}conditions/<int:pk>/", deal.condition_met, name="condition_met"),
    # Investing: the closing, follow-ons and exits, the portfolio and the fund's capital.
    path(f"{D}closing/", portfolio.record_closing, name="record_closing"),
    path(f"{D}follow-on/", portfolio.follow_on, name="follow_on"),
    path(f"{D}exit/", portfolio.record_exit, name="record_exit"),
    path("fund/portfolio/", portfolio.portfolio, name="portfolio"),
    path("fund/capital/new/", portfolio.record_capital, name="record_capital"),
    # The investment committee.
    path("fund/committee/", committee.committee, name="committee"),
    path("fund/committee/new/", committee.convene, name="convene"),
    path(M, committee.meeting, name="meeting"),
    path(f"{M}agenda/", committee.agenda, name="agenda"),
    path(f"{M}items/<int:item>/declaration/", committee.declare, name="declare"),
    path(f"{M}items/<int:item>/vote/", committee.vote, name="vote"),
    path(f"{M}items/<int:item>/close/", committee.close_vote, name="close_vote"),
    path(f"{M}items/<int:item>/documents/<int:document>/", committee.paper_download, name="paper_download"),
    # Priority windows.
    path("fund/windows/", windows.windows, name="windows"),
    path("fund/windows/<int:pk>/", windows.window, name="window"),
    path("fund/windows/<int:pk>/exercise/", windows.exercise, name="window_exercise"),
    path("fund/windows/<int:pk>/waive/", windows.waive, name="window_waive"),
    # The enterprise's side: its requests for investment and its financing rounds.
    path(E, enterprise.funding, name="enterprise_funding"),
    path(f"{E}request/", enterprise.request_investment, name="request_investment"),
    path(f"{E}rounds/new/", enterprise.new_round, name="new_round"),
    path(f"{E}rounds/<int:pk>/", enterprise.round_page, name="round"),
]
