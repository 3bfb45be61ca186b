import { Navigate, Route, Routes } from 'react-router';
import { Loading } from './components/common.tsx';
import { OperatorLayout, PortalLayout, PublicLayout } from './layout.tsx';
import { ForgotPasswordPage, SignInPage, SignUpPage } from './pages/public/auth.tsx';
import { AcceptInvitationPage, ConfirmEmailChangePage, LegalDocumentPage, ResetPasswordPage, UnsubscribePage, VerifyEmailPage } from './pages/public/links.tsx';
import { SubscriptionsPage } from './pages/portal/subscriptions.tsx';
import { BillingPage } from './pages/portal/billing.tsx';
import { SupportPage, TicketPage } from './pages/portal/support.tsx';
import { PrivacyPage } from './pages/portal/privacy.tsx';
import { OrganizationPage } from './pages/portal/organization.tsx';
import { AccountPage } from './pages/portal/account.tsx';
import { SearchPage } from './pages/operator/search.tsx';
import { Organization360Page } from './pages/operator/organization.tsx';
import { ReceivablesPage } from './pages/operator/receivables.tsx';
import { SupportQueuePage, OperatorTicketPage } from './pages/operator/support.tsx';
import { BreachPage, DataSubjectRequestPage, DpoPage, EndUserRequestPage } from './pages/operator/dpo.tsx';
import { MetricsPage } from './pages/operator/metrics.tsx';
import { useMe } from './session.tsx';

function Home() {
  const { me, signedIn, loading } = useMe();
  if (!signedIn) return <Navigate to="/sign-in" replace />;
  if (loading) return <Loading />;
  return <Navigate to={me?.operatorRoles.length ? '/operator' : '/portal'} replace />;
}

export function App() {
  return (
    <Routes>
      <Route path="/" element={<Home />} />
      <Route element={<PublicLayout />}>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="/operator/sign-in" element={<SignInPage operator />} />
        <Route path="/sign-up" element={<SignUpPage />} />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/verify-email" element={<VerifyEmailPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path="/accept-invitation" element={<AcceptInvitationPage />} />
        <Route path="/confirm-email-change" element={<ConfirmEmailChangePage />} />
        <Route path="/unsubscribe" element={<UnsubscribePage />} />
        <Route path="/legal/:id" element={<LegalDocumentPage />} />
      </Route>
      <Route path="/portal" element={<PortalLayout />}>
        <Route index element={<SubscriptionsPage />} />
        <Route path="billing" element={<BillingPage />} />
        <Route path="support" element={<SupportPage />} />
        <Route path="support/:id" element={<TicketPage />} />
        <Route path="privacy" element={<PrivacyPage />} />
        <Route path="organization" element={<OrganizationPage />} />
        <Route path="account" element={<AccountPage />} />
      </Route>
      <Route path="/operator" element={<OperatorLayout />}>
        <Route index element={<SearchPage />} />
        <Route path="organizations/:id" element={<Organization360Page />} />
        <Route path="receivables" element={<ReceivablesPage />} />
        <Route path="support" element={<SupportQueuePage />} />
        <Route path="tickets/:id" element={<OperatorTicketPage />} />
        <Route path="dpo" element={<DpoPage />} />
        <Route path="data-subject-requests/:id" element={<DataSubjectRequestPage />} />
        <Route path="breaches/:id" element={<BreachPage />} />
        <Route path="end-user-requests/:id" element={<EndUserRequestPage />} />
        <Route path="metrics" element={<MetricsPage />} />
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
